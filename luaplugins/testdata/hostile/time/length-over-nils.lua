-- expect: time limit exceeded \(2s\)
-- args: --limit instructions=1000000000000
-- rss: 60
-- time: 3.5s
-- One `#t` instruction scans 100,000 trailing nils in Go.
local t = {}
for i = 1, 100000 do t[i] = i end
for i = 2, 100000 do t[i] = nil end
while true do local n = #t end
