-- expect: ok
-- stdout: ^(\x{FFFD}){300,341}…\(\+\d+ bytes\)\n$
-- rss: 60
-- time: 3s
-- 4 MB of raw 8-bit bytes (C1 and others): each becomes U+FFFD, and the
-- line is bounded before it is cleaned.
local s = string.rep("\133\155\255\128", 1000000)
log.info(s)
