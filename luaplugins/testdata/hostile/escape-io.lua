-- expect: attempt to index|nil
io.open("/etc/passwd"):read("*a")
