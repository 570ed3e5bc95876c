-- expect: at most 8 labels are allowed
-- rss: 40
-- time: 3s
-- more labels than allowed.
function collect()
  metrics.set("link_up", 1, { a = 1, b = 2, c = 3, d = 4, e = 5, f = 6, g = 7, h = 8, i = 9 })
end
