-- expect: attempt to index|nil
channel.make()
