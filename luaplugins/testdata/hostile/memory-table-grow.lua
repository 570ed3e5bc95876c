-- expect: memory limit exceeded \(8 MiB\)
local t = {}
local i = 0
while true do i = i + 1; t[i] = i end
