-- expect: time limit exceeded \(2s\)
-- args: --limit instructions=1000000000000
-- rss: 60
-- time: 3.5s
-- table.sort without a comparator calls a builtin __lt metamethod from Go.
local mt = {__lt = rawequal}
local t = {}
for i = 1, 20000 do t[i] = setmetatable({}, mt) end
while true do table.sort(t) end
