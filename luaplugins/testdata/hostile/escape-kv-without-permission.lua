-- expect: attempt to index|nil
kv.set("x", "y")
