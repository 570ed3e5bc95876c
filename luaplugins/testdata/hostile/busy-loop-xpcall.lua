-- expect: instruction limit exceeded \(3000000\)
while true do xpcall(function() while true do end end, function(e) return e end) end
