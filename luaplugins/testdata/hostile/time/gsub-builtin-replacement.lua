-- expect: time limit exceeded \(2s\)
-- args: --limit instructions=1000000000000
-- rss: 60
-- time: 3.5s
-- A builtin as gsub's replacement function: 50,000 Go→Lua calls per gsub.
local s = string.rep("a", 50000)
while true do s:gsub(".", string.upper) end
