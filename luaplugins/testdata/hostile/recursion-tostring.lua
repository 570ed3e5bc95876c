-- expect: call depth limit exceeded \(64\)
local t = setmetatable({}, {})
getmetatable(t).__tostring = function(self) return tostring(self) end
print(tostring(t))
