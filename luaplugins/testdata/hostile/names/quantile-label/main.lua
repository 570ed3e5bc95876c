-- expect: label name quantile is reserved
-- rss: 40
-- time: 3s
-- the summary label on a counter.
function collect()
  metrics.add("rtt_seconds_total", 0.1, { quantile = "0.99" })
end
