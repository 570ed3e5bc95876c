-- expect: instruction limit exceeded|time limit exceeded|pattern/input too complex
local s = string.rep("a", 200000)
for m in s:gmatch("(.-)b") do print(m) end
