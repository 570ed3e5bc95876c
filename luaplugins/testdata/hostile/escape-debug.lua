-- expect: attempt to index|nil
debug.getregistry()
