-- expect: counter "requests" must end in _total
-- rss: 40
-- time: 3s
-- a counter without _total.
function collect()
  metrics.add("requests", 1)
end
