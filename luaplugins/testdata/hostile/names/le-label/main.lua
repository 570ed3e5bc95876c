-- expect: label name le is reserved
-- rss: 40
-- time: 3s
-- the histogram bucket label on a gauge.
function collect()
  metrics.set("rtt_seconds", 0.1, { le = "0.5" })
end
