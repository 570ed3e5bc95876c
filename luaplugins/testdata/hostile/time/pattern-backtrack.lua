-- expect: instruction limit exceeded \(3000000\)
-- args: --limit instructions=3000000 --limit timeout=10s
-- time: 5s
-- A pattern that backtracks over 30 optional items at every start of a
-- 100 KB subject, in one string.find call: the matcher charges its steps
-- to the budget, so the budget ends it. The timeout is raised so that only
-- the budget can end it, however loaded the machine.
local s = string.rep("a", 100000)
print(string.find(s, string.rep("a?", 30) .. string.rep("a", 30) .. "b"))
