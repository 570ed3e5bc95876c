-- expect: gauge "wan:rx_bytes" may hold only lowercase letters a-z, digits and _ \(snake_case, no colons\)
-- rss: 40
-- time: 3s
-- colons are for recording rules.
function collect()
  metrics.set("wan:rx_bytes", 1)
end
