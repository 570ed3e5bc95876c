-- expect: gauge "rtt_count" must not end in _count
-- rss: 40
-- time: 3s
-- a summary/histogram suffix on a gauge.
function collect()
  metrics.set("rtt_count", 3)
end
