-- expect: call depth limit exceeded \(64\)
local mt = {}
mt.__lt = function(a, b) return a < b end
local a, b = setmetatable({}, mt), setmetatable({}, mt)
print(a < b)
