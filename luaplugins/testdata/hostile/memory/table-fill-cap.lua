-- expect: memory limit exceeded \(8 MiB\)
-- rss: 60
-- time: 3s
-- A table that grows until the default 8 MiB cap stops it.
local t = {}
local i = 0
while true do
	i = i + 1
	t[i] = {i, tostring(i)}
end
