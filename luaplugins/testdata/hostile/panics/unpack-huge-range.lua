-- expect: main\.lua:6: too many results to unpack$
-- rss: 40
-- time: 3s
-- unpack over a range that overflowed the Go int count upstream (end at
-- maxint made the loop wrap around).
print(unpack({}, 0/0, 2^53))
