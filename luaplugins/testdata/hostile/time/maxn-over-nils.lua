-- expect: instruction limit exceeded \(10000000\)
-- args: --limit timeout=10s
-- rss: 60
-- time: 5s
-- The timeout is raised so that only the budget can end it.
-- table.maxn scans the array in Go; the scan is charged to the budget.
local t = {}
for i = 1, 100000 do t[i] = i end
for i = 2, 100000 do t[i] = nil end
while true do table.maxn(t) end
