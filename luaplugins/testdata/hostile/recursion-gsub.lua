-- expect: call depth limit exceeded \(64\)
local function f(s) return (string.gsub("ab", ".", f)) end
f("x")
