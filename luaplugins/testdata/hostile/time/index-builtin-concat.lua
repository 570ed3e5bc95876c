-- expect: time limit exceeded \(2s\)
-- args: --limit instructions=1000000000000
-- rss: 60
-- time: 3.5s
-- table.concat as an __index metamethod: each field read builds a 100 KB
-- string in Go with a single VM instruction.
local t = {}
for i = 1, 20000 do t[i] = "abcd" end
setmetatable(t, {__index = table.concat})
while true do local s = t.sep end
