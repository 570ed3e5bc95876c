-- expect: ok
-- stdout: ^a{500}a{500,524}…\(\+\d+ bytes\)\n$
-- stdout-not: \x{FFFD}
-- rss: 40
-- time: 3s
-- The line passes the 1 KiB bound in the middle of a three-byte rune: the
-- cut must fall on a rune boundary, never leave half a rune.
log.info(string.rep("a", 1023) .. "\226\130\172" .. string.rep("b", 10))
