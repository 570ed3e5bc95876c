-- expect: time limit exceeded \(2s\)
-- args: --limit instructions=1000000000000
-- rss: 60
-- time: 3.5s
-- A plain find scans 2 MB in Go per call.
local s = string.rep("a", 2000000)
while true do s:find("b", 1, true) end
