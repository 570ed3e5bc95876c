-- expect: memory limit exceeded \(8 MiB\)
local s = string.rep("a", 3 * 1024 * 1024)
local t = {}
for i = 1, 100 do t[i] = s:upper() .. i end
