-- expect: x
error(string.rep("x", 4 * 1024 * 1024))
