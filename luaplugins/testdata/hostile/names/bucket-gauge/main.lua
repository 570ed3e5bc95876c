-- expect: gauge "rtt_bucket" must not end in _bucket
-- rss: 40
-- time: 3s
-- a histogram suffix on a gauge.
function collect()
  metrics.set("rtt_bucket", 3)
end
