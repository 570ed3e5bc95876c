-- expect: is 200 bytes long, at most 100 are allowed
-- rss: 40
-- time: 3s
-- an overlong name.
function collect()
  metrics.set(string.rep("a", 200), 1)
end
