-- expect: attempt to index|nil
os.execute("id")
