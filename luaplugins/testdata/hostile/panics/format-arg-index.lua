-- expect: invalid option '%\[' to 'format'
-- rss: 40
-- time: 3s
-- An explicit argument index: fmt repeated argument 1 for every %[1]s
-- while the memory charge counted each directive's own argument, so a
-- large first argument was charged once and copied many times.
local s = string.rep("x", 1e6)
print(#string.format(string.rep("%[1]s", 200), s, "", ""))
