-- expect: call depth limit exceeded \(64\)
local t = setmetatable({}, {})
getmetatable(t).__index = function(t, k) return t[k .. "x"] end
local _ = t.a
