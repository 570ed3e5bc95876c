-- expect: ok
-- rss: 40
-- time: 3s
-- stdout: sub/byte: extremes as C Lua 5\.1
-- stdout-not: runtime error|slice bounds|internal error
-- string.sub and string.byte with positions at and past +-2^63 and NaN:
-- positions are clamped as lstrlib's posrelat clamps them, and no sum of
-- position and length can overflow.
assert(string.sub("abc", -2^62, 2^62) == "abc")
assert(string.sub("abc", 0/0, 0/0) == "")
assert(string.sub("abc", 2^62) == "")
assert(select("#", string.byte("abc", -2^62, 2^62)) == 3)
assert(select("#", string.byte("abc", 0/0)) == 0)
assert(select("#", string.byte("abc", 2^63, -2^63)) == 0)
print("sub/byte: extremes as C Lua 5.1")
