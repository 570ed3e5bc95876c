-- expect: instruction limit exceeded|time limit exceeded|pattern/input too complex
local s = string.rep("a", 100000)
print(string.find(s, string.rep("a?", 30) .. string.rep("a", 30) .. "b"))
