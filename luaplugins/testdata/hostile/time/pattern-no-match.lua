-- expect: time limit exceeded \(2s\)
-- args: --limit instructions=1000000000000
-- rss: 60
-- time: 3.5s
-- A failing pattern tries every start of a 1 MB subject inside one call.
local s = string.rep("x", 1000000)
while true do s:match("(x)y") end
