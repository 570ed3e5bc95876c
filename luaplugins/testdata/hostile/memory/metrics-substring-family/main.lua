-- expect: output limit exceeded \(100 metric families\)
-- rss: 60
-- time: 6s
-- args: --times 10
-- Each call makes 25 strings of 2 MB and names a new metric family after
-- the first 16 bytes of each. If the agent kept the plugin's substring as
-- the family name, every family would keep its 2 MB parent alive: 500
-- series (the series limit) held ~1 GB of agent memory while the plugin's
-- own memory stayed small. The agent copies the name and bounds families.
local n = 0
function collect()
  for j = 1, 25 do
    n = n + 1
    local big = string.format("sub_family_%04d_", n) .. string.rep("a", 2000000)
    metrics.set(big:sub(1, 16), 1)
  end
end
