-- expect: attempt to call|nil
newproxy(true)
