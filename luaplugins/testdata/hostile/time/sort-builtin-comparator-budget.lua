-- expect: instruction limit exceeded \(10000000\)
-- args: --limit timeout=10s
-- rss: 60
-- time: 5s
-- The timeout is raised so that only the budget can end it. A builtin
-- comparator under the default budget: the sort and its Go→Lua calls are
-- charged as instructions, so the budget ends it.
local t = {}
for i = 1, 20000 do t[i] = i end
while true do table.sort(t, rawequal) end
