-- expect: memory limit exceeded \(8 MiB\)
-- rss: 60
-- time: 3s
-- The longest legal number directive (409 bytes) kept many times.
local t = {}
for i = 1, 1e6 do t[i] = string.format("%99.99f", 1e308) end
