-- expect: attempt to call|nil
dofile("/etc/passwd")
