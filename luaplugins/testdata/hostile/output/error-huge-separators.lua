-- expect: ^plugin "error-huge-separators": main\.lua:6: (\x{FFFD}){150,171}…\(\+\d+ bytes\)$
-- rss: 60
-- time: 3s
-- A 3 MB error value of U+2029: bounded to 512 bytes before it is cleaned,
-- one line.
error(string.rep("\226\128\169", 1000000))
