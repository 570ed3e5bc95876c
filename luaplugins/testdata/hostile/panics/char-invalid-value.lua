-- expect: bad argument #1 to .?char.? \(invalid value\)
-- rss: 40
-- time: 3s
-- string.char(256) was truncated to "\0" by a Go byte conversion.
print(string.char(256))
