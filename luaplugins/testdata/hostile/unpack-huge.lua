-- expect: main\.lua:3: too many results to unpack \(100000000, room for \d+\)$
local t = {}
print(unpack(t, 1, 1e8))
