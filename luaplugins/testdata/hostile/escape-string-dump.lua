-- expect: attempt to call|nil
string.dump(print)
