-- expect: ^plugin "kv-invalid-key-controls": .{0,80}bad kv key: ".{0,90}" holds control character U\+2028 at byte 3$
-- rss: 40
-- time: 3s
-- A key with a line separator and a bidi override: refused, and quoted
-- cleaned and cut in the error.
kv.set("new\226\128\168line\226\128\174" .. string.rep("k", 100), "v")
