-- expect: memory limit exceeded \(8 MiB\)
local s = string.rep(string.rep("x", 1024), 1024 * 1024)
