-- expect: counter link_errors_total cannot go down
-- rss: 40
-- time: 3s
-- a counter that goes down.
function collect()
  metrics.add("link_errors_total", -1)
end
