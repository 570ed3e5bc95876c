-- expect: memory limit exceeded \(8 MiB\)
local t = {}
local s = string.rep("x", 65536)
for i = 1, 1000 do t[i] = s end
local big = table.concat(t)
