-- expect: time limit exceeded \(2s\)
-- rss: 80
-- time: 3.5s
-- Each json.decode of 512 KiB is one VM instruction but milliseconds of Go
-- work; charged per byte, the deadline still ends the loop, with the same
-- time limit break whether the agent's timer or json.decode's own deadline
-- check sees the time first.
local text = "[" .. string.rep("1,", 262143) .. "1]"
while true do json.decode(text) end
