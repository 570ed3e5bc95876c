-- expect: ^plugin "error-c1-bytes": main\.lua:5: csi\x{FFFD}31m nel\x{FFFD} del\x{FFFD} end$
-- rss: 40
-- time: 3s
-- Raw 8-bit C1 bytes and DEL in an error value.
error("csi\155" .. "31m nel\133 del\127 end")
