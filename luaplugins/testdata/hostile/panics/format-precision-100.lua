-- expect: invalid format \(width or precision too long\)
-- rss: 40
-- time: 3s
assert(#string.format("%99.99f", 1e308) == 409)
print(string.format("%.100f", 1))
