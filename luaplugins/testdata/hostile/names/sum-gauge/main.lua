-- expect: gauge "rtt_sum" must not end in _sum
-- rss: 40
-- time: 3s
-- a summary suffix on a gauge.
function collect()
  metrics.set("rtt_sum", 3)
end
