-- expect: memory limit exceeded \(8 MiB\)
-- As memory-dead-keys.lua, with deleted keys that are tables holding the
-- 512 KiB strings.
local t = {}
for i = 1, 256 do t["live" .. i] = i end
local big = string.rep("x", 512 * 1024)
local i = 0
while true do i = i + 1; local k = { big .. i }; t[k] = true; t[k] = nil end
