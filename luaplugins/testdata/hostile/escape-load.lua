-- expect: attempt to call|nil
load("return 1")()
