-- expect: main\.lua:2: attempt to call a non-function object$
load("return 1")()
