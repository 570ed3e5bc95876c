-- expect: gauge "wanRxBytes" may hold only lowercase letters
-- rss: 40
-- time: 3s
-- camelCase: promtool lints it (snake_case, not camelCase).
function collect()
  metrics.set("wanRxBytes", 1)
end
