-- expect: memory limit exceeded \(4 MiB\)
-- rss: 60
-- time: 3s
-- 200,000 two-byte strings: each is a copy with its header, charged.
local doc = "[" .. string.rep('"ab",', 200000) .. '""]'
json.decode(doc)
