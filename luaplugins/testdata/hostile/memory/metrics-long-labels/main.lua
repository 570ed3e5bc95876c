-- expect: output limit exceeded \(256000 bytes of metric names and labels\)
-- rss: 40
-- time: 3s
-- 500 series (the series limit) with 8 labels of 128 bytes (the label
-- length limit) each would keep ~1.1 MB of agent memory per plugin; the
-- metric byte budget stops it at 256,000 bytes.
function collect()
  for i = 1, 500 do
    local labels = {}
    for k = 1, 8 do
      labels["label_" .. k] = string.rep(string.char(96 + k), 120) .. string.format("%08d", i)
    end
    metrics.set("long_labels", i, labels)
  end
end
