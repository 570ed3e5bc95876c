-- expect: attempt to call|nil
getmetatable("").__index.dump(print)
