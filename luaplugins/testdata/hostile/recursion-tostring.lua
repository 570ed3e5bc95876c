-- expect: call depth limit exceeded|stack overflow
local t = setmetatable({}, {})
getmetatable(t).__tostring = function(self) return tostring(self) end
print(tostring(t))
