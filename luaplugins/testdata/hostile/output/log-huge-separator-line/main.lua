-- expect: ok
-- stdout: ^error: (\x{FFFD}){300,341}…\(\+\d+ bytes\)\n$
-- rss: 60
-- time: 3s
-- 6 MB of U+2028: bounded before it is cleaned, one line of at most 1 KiB.
log.error(string.rep("\226\128\168", 2000000))
