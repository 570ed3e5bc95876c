-- expect: memory limit exceeded \(8 MiB\)
-- Deleted keys a table still holds (gopher-lua patches 15 and 16): 256
-- small live keys let up to 256 deleted keys wait for compaction, and each
-- deleted key is a new 512 KiB string.
local t = {}
for i = 1, 256 do t[i + 0.5] = i end
local big = string.rep("x", 512 * 1024)
local i = 0
while true do i = i + 1; local k = big .. i; t[k] = true; t[k] = nil end
