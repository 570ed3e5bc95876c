-- expect: time limit exceeded \(2s\)
-- args: --limit instructions=1000000000000
-- rss: 60
-- time: 3.5s
-- A Go builtin as table.sort's comparator runs no VM instruction: each sort
-- makes ~1.5 million Go→Lua calls, which must count, or the 2 s limit is
-- checked only once per 1,024 sorts.
local t = {}
for i = 1, 100000 do t[i] = tostring(i % 977) end
while true do table.sort(t, string.find) end
