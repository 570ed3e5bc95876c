-- expect: memory limit exceeded \(8 MiB\)
local t = {}
while true do local x = #t; t[#t + 1] = function() return x end end
