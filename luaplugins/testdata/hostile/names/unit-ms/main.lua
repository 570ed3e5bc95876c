-- expect: gauge "ping_ms" must not use the abbreviated unit _ms
-- rss: 40
-- time: 3s
-- an abbreviated unit: promtool lints _ms.
function collect()
  metrics.set("ping_ms", 12)
end
