-- expect: attempt to call|nil
loadstring("os.exit(1)")()
