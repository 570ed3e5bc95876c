-- expect: gauge "queue_gauge" must not name its type \(gauge\)
-- rss: 40
-- time: 3s
-- the type word in the name.
function collect()
  metrics.set("queue_gauge", 5)
end
