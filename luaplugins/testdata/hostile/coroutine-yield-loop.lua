-- expect: instruction limit exceeded \(3000000\)
local co = coroutine.wrap(function() while true do coroutine.yield() end end)
while true do co() end
