-- expect: instruction limit exceeded \(3000000\)
local mt = {}
mt.__call = function(self) return self() end
local a = setmetatable({}, mt)
a()
