-- expect: ok
-- stdout: ^1048576\n1048574\n$
-- rss: 60
-- time: 3s
-- Exactly at the bound: the quotes make 1 MiB; a string of NULs escapes
-- to 6 bytes each and 174762 of them still fit.
print(#json.encode(string.rep("a", 1048574)))
print(#json.encode(string.rep("\0", 174762)))
