-- expect: invalid format \(repeated flags\)
-- rss: 40
-- time: 3s
print(string.format("%-+ #0-d", 1))
