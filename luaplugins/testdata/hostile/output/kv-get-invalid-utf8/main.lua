-- expect: ^plugin "kv-get-invalid-utf8": .{0,80}bad kv key: "a\x{FFFD}\x{FFFD}b" is not UTF-8 at byte 1$
-- rss: 40
-- time: 3s
kv.get("a\133\155b")
