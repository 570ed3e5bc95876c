-- expect: instruction limit exceeded \(3000000\)
setmetatable(_G, {__index = function(t, k) while true do end end})
local x = undefined_global
