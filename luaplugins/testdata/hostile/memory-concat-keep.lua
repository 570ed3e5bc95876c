-- expect: memory limit exceeded \(8 MiB\)
local t = {}
local s = string.rep("x", 1000)
while true do t[#t + 1] = s .. #t end
