-- expect: memory limit exceeded \(8 MiB\)
-- rss: 60
-- time: 3s
-- 1 MiB of {"a":1} objects: 131,000 tables with a string key each. The
-- decode stops at the cap; the process's real memory is still about five
-- times the cap, since the engine's estimate of a table with a hash part
-- (map, key index and key list) is well below what Go allocates for it.
local doc = "[" .. string.rep('{"a":1},', 131000) .. "{}]"
json.decode(doc)
