-- expect: time limit exceeded \(2s\)
-- rss: 60
-- time: 4s
-- A label table of 30,000 entries passed to metrics.set in a loop: Go-side
-- work per call that the VM's instruction count does not see. The host
-- now stops reading labels at the ninth, and the loop ends at the
-- wall-time limit (2.4 s for `plugin run`, as before the change).
local labels = {}
for i = 1, 30000 do labels["l" .. i] = "v" end
function collect()
  while true do
    pcall(metrics.set, "huge_label_table", 1, labels)
  end
end
