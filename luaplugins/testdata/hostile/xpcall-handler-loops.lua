-- expect: instruction limit exceeded \(3000000\)
xpcall(function() error("x") end, function() while true do end end)
