-- expect: time limit exceeded \(2s\)
-- args: --limit instructions=1000000000000
-- rss: 60
-- time: 3.5s
-- A Go builtin as table.sort's comparator runs no VM instruction: every
-- comparison is a Go→Lua call that must count, or the 2 s limit never fires.
local t = {}
for i = 1, 20000 do t[i] = i end
while true do table.sort(t, math.max) end
