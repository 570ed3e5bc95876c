-- expect: gauge "queue_total" must not end in _total
-- rss: 40
-- time: 3s
-- a gauge with the counter suffix.
function collect()
  metrics.set("queue_total", 5)
end
