-- expect: memory limit exceeded \(4 MiB\)
-- args: --limit memory=4MiB
-- rss: 60
-- time: 3s
-- One 1 MB string formatted with %s 50 times: the result is sized from
-- the parsed directives and charged before it is built.
local s = string.rep("x", 1e6)
local args = {}
for i = 1, 50 do args[i] = s end
print(#string.format(string.rep("%s", 50), unpack(args)))
