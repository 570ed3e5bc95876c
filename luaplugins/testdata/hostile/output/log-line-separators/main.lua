-- expect: ok
-- stdout: ^one\x{FFFD}two\x{FFFD}three\x{FFFD}four\x{FFFD}five\n
-- stdout-not: [\x{85}\x{2028}\x{2029}\x{9b}]
-- rss: 40
-- time: 3s
-- NEL, U+2028, U+2029 and an 8-bit C1 byte: each would make one log line
-- render as several.
log.info("one\194\133two\226\128\168three\226\128\169four\133five")
