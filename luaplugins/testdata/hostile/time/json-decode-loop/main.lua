-- expect: time limit exceeded
-- rss: 80
-- time: 3.5s
-- Each json.decode of 512 KiB is one VM instruction but milliseconds of Go
-- work; charged per byte, the deadline still ends the loop (as the
-- violation, or as json.decode's own "time limit exceeded" error when its
-- deadline check sees the time first).
local text = "[" .. string.rep("1,", 262143) .. "1]"
while true do json.decode(text) end
