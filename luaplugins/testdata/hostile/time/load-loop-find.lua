-- expect: instruction limit exceeded \(2000000\)
-- rss: 30
-- time: 4s
-- args: --limit timeout=10s --limit instructions=2000000
-- The shape of the install that held the install lock: a top-level chunk
-- (run at load, so at install) that loops in a Go builtin until a limit
-- ends it; each call is a few VM instructions and ~100 KB of Go work,
-- which the budget counts (gopher-lua patch 9: 1 per 1,024 bytes scanned),
-- so the instruction limit ends it (2M units: about 2 GB scanned, 0.05 s
-- here, a few seconds under qemu); the time limit is raised so that a
-- loaded machine cannot make the clock fire first.
local s = string.rep("a", 100000)
while true do
	s:find("b", 1, true)
end
function collect() end
