-- expect: instruction limit exceeded \(10000000\)
-- rss: 60
-- time: 3s
-- The same comparator attack under the default budget: the Go→Lua calls
-- are charged as instructions, so the budget ends it before the deadline.
local t = {}
for i = 1, 20000 do t[i] = i end
while true do table.sort(t, rawequal) end
