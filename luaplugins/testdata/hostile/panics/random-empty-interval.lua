-- expect: bad argument #2 to .?random.? \(interval is empty\)
-- rss: 40
-- time: 3s
-- math.random(m, n) with n < m, after intervals that overflowed a Go int
-- upstream (-2^63 .. 2^63) now computed in floating point as C does.
assert(math.random(-2^62, 2^62))
print(math.random(3, 0))
