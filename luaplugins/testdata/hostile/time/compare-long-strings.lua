-- expect: time limit exceeded \(2s\)
-- args: --limit memory=32MiB --limit instructions=1000000000000
-- rss: 80
-- time: 3.5s
-- One `<` of two 12 MB strings is one VM instruction; compared byte by byte
-- in Go it took 25 ms, so the 2 s limit was checked every 26 s.
local a = string.rep("x", 12000000)
local b = string.rep("x", 12000000)
while true do local c = a < b end
