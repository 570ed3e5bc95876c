-- expect: gauge "uptime_hours" must use the base unit seconds instead of hours
-- rss: 40
-- time: 3s
-- a non-base unit.
function collect()
  metrics.set("uptime_hours", 12)
end
