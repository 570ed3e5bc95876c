-- expect: call depth limit exceeded \(64\)
local function f() pcall(f) ; pcall(f) end
f()
error("pcall recursion was swallowed")
