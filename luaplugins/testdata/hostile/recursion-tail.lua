-- expect: instruction limit exceeded \(3000000\)
local function f(n) return f(n + 1) end
f(1)
