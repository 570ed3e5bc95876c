-- expect: call depth limit exceeded \(64\)
local mt = {}
mt.__concat = function(a, b) return a .. b end
local a = setmetatable({}, mt)
print(a .. "x")
