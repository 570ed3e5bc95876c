-- expect: output limit exceeded \(100 metric families\)
-- rss: 40
-- time: 3s
-- Many distinct family names, each of the longest allowed length: the
-- family registry is shared by all plugins, so one plugin may hold at most
-- 100 families.
function collect()
  for i = 1, 500 do
    metrics.set(string.format("family_%06d_", i) .. string.rep("x", 86), i)
  end
end
