-- expect: value must be a finite number
-- rss: 40
-- time: 3s
-- NaN, which a gauge could export but alerting cannot compare.
function collect()
  metrics.set("link_quality_ratio", 0/0)
end
