-- expect: memory limit exceeded \(8 MiB\)
local t = {}
while true do t[#t + 1] = coroutine.create(function() end) end
