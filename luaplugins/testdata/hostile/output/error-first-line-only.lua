-- expect: ^plugin "error-first-line-only": main\.lua:5: first line$
-- rss: 40
-- time: 3s
-- A multi-line error shows its first line only.
error("first line\nsecond line\rthird")
