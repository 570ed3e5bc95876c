-- expect: time limit exceeded \(2s\)
-- args: --limit instructions=1000000000000
-- rss: 60
-- time: 3.5s
-- tonumber trims and parses 2 MB of blanks in Go per call.
local s = string.rep(" ", 2000000) .. "1"
while true do tonumber(s) end
