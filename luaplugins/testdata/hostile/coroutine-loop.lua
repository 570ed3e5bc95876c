-- expect: instruction limit exceeded \(3000000\)
local co = coroutine.create(function() while true do end end)
coroutine.resume(co)
