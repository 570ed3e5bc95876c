-- expect: time limit exceeded \(2s\)
-- rss: 30
-- time: 4s
-- The shape of the install that held the install lock: a top-level chunk
-- (run at load, so at install) that loops in a Go builtin until its time
-- limit; each call is a few VM instructions and ~100 KB of Go work.
local s = string.rep("a", 100000)
while true do
	s:find("b", 1, true)
end
function collect() end
