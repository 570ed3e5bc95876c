-- expect: ^plugin "error-bidi-message": main\.lua:6: bad \x{FFFD}gnp\.exe thing\x{FFFD}\x{FFFD}$
-- rss: 40
-- time: 3s
-- An error message with a bidi override, a line separator and NEL must
-- stay one readable line.
error("bad \226\128\174gnp.exe thing\226\128\168\194\133")
