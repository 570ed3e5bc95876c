-- expect: memory limit exceeded \(4 MiB\)
-- rss: 35
-- time: 3s
-- A top-level chunk (run at load, so at install) that keeps distinct
-- strings until the manifest's 4 MiB cap, not the 8 MiB default, stops it:
-- an install loads the new version under the plugin's own limits.
local keep = {}
local i = 0
while true do
	i = i + 1
	keep[i] = ("%08d"):format(i):rep(16)
end
function collect() end
