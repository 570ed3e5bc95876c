-- table library and table semantics
local t = {10, 20, 30}
table.insert(t, 40)
table.insert(t, 1, 5)
print(table.concat(t, ","), #t)
print(table.remove(t), table.remove(t, 1), table.concat(t, ","))
local s = {5, 2, 8, 1, 9, 3}
table.sort(s)
print(table.concat(s, " "))
table.sort(s, function(a, b) return a > b end)
print(table.concat(s, " "))
local names = {"bob", "alice", "Carol", "dave"}
table.sort(names)
print(table.concat(names, " "))
print(table.concat({}, ","), table.concat({1, 2, 3}, ", ", 2, 3), table.concat({"a"}, "x", 1, 1))
local keys = {}
for k in pairs({a = 1, b = 2, c = 3}) do keys[#keys + 1] = k end
table.sort(keys)
print(table.concat(keys))
for i, v in ipairs({"x", "y", nil, "z"}) do print(i, v) end
print(select("#", 1, nil, 3), select(2, "a", "b", "c"), select(-1, "a", "b"))
print(unpack({1, 2, 3}), unpack({1, 2, 3}, 2), unpack({1, 2, 3}, 2, 3))
print(next({}), type(next), rawequal(t, t), rawlen == nil)
local grid = {}
for i = 1, 3 do grid[i] = {} for j = 1, 3 do grid[i][j] = i * j end end
print(grid[2][3], #grid, #grid[1])
local m = {}
m[1.0] = "one"; m[2] = "two"
print(m[1], m[2.0])
print(table.maxn({1, 2, nil, 4}), #{1, 2, 3, nil})
local big = {}
for i = 1, 1000 do big[i] = i end
local sum = 0
for _, v in ipairs(big) do sum = sum + v end
print(sum, #big)
