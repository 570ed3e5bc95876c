-- expect: memory limit exceeded \(8 MiB\)
local s = string.rep("a", 100000)
local r = string.gsub(s, "a", string.rep("b", 1000))
