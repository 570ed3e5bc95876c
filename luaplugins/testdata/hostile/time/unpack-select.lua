-- expect: time limit exceeded \(2s\)
-- args: --limit instructions=1000000000000
-- rss: 60
-- time: 3.5s
-- unpack pushes and select copies 1,000 values in Go per call.
local t = {}
for i = 1, 1000 do t[i] = i end
while true do select("#", unpack(t)) end
