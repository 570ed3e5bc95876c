-- expect: memory limit exceeded \(8 MiB\)
error(string.rep("x", 4 * 1024 * 1024))
