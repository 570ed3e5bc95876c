-- expect: time limit exceeded \(2s\)
-- args: --limit instructions=1000000000000
-- rss: 60
-- time: 3.5s
-- string.upper maps 1 MB in Go per call.
local s = string.rep("x", 1000000)
while true do s:upper() end
