-- expect: main\.lua:2: attempt to call a non-function object$
getfenv(0).os.exit()
