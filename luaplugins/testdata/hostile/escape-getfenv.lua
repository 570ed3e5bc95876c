-- expect: attempt to call|nil
getfenv(0).os.exit()
