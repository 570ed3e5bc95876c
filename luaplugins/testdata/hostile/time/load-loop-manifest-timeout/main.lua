-- expect: time limit exceeded \(1s\)
-- rss: 30
-- time: 3s
-- A load that loops under the manifest's own 1 s limit and a high
-- instruction budget: the load must end at the manifest's timeout, as an
-- install loads the new version under the plugin's limits.
local t = {}
while true do
	t[#t % 64 + 1] = ("x"):rep(64)
end
function collect() end
