-- expect: ok
-- stdout: ^a\x{FFFD}b\x{FFFD}c\x{FFFD}\[2J\x{FFFD}d\x{FFFD}e\tf\n$
-- stdout-not: (?m)^b
-- rss: 40
-- time: 3s
-- print with a newline, a carriage return, a terminal escape, NUL and DEL:
-- one line, the tab kept as Lua's print separator.
print("a\nb\rc\27[2J\0d\127e", "f")
