-- expect: instruction limit exceeded \(10000000\)
-- rss: 60
-- time: 3s
-- table.maxn scans the array in Go; the scan is charged to the budget.
local t = {}
for i = 1, 100000 do t[i] = i end
for i = 2, 100000 do t[i] = nil end
while true do table.maxn(t) end
