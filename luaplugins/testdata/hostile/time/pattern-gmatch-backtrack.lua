-- expect: instruction limit exceeded \(3000000\)
-- args: --limit instructions=3000000 --limit timeout=10s
-- time: 5s
-- gmatch with a lazy capture that never finds its "b": every start scans
-- to the end of a 200 KB subject. The steps are charged to the budget; the
-- timeout is raised so that only the budget can end it.
local s = string.rep("a", 200000)
for m in s:gmatch("(.-)b") do print(m) end
