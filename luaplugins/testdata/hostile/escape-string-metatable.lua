-- expect: main\.lua:2: attempt to call a non-function object$
getmetatable("").__index.dump(print)
