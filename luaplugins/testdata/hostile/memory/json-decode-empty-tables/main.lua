-- expect: memory limit exceeded \(8 MiB\)
-- rss: 60
-- time: 3s
-- 1 MiB of "[]," decodes to 350,000 tables (~35 MB as Lua values): the
-- decode must charge each table as it makes it and stop at the cap.
local doc = "[" .. string.rep("[],", 349000) .. "[]]"
json.decode(doc)
