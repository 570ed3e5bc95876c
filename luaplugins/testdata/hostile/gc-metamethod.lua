-- expect: instruction limit exceeded \(3000000\)
setmetatable({}, {__gc = function() end})
while true do end
