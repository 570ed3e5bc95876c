-- expect: time limit exceeded \(2s\)
-- args: --limit instructions=1000000000000
-- rss: 60
-- time: 3.5s
-- next() skips 100,000 nil slots in Go on every call.
local t = {}
for i = 1, 100000 do t[i] = i end
for i = 1, 99999 do t[i] = nil end
while true do next(t) end
