-- expect: attempt to index|nil
board.netdev()
