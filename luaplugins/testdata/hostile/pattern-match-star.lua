-- expect: instruction limit exceeded|time limit exceeded|pattern/input too complex
local s = string.rep("a", 200000) .. "c"
while true do string.match(s, ".*.*.*b") end
