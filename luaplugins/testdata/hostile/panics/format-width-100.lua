-- expect: invalid format \(width or precision too long\)
-- rss: 40
-- time: 3s
-- A width of three digits: Go's fmt printed "%!(NOVERB)"-style garbage or
-- padded up to 10^6; C Lua refuses more than two digits.
assert(#string.format("%99d", 1) == 99)
print(string.format("%100d", 1))
