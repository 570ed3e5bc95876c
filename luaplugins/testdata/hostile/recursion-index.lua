-- expect: call depth limit exceeded|stack overflow
local t = setmetatable({}, {})
getmetatable(t).__index = function(t, k) return t[k .. "x"] end
local _ = t.a
