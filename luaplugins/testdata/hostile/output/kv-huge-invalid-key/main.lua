-- expect: ^plugin "kv-huge-invalid-key": .{0,200}kv key too long \(7500000 bytes, limit 128\)$
-- rss: 60
-- time: 3s
-- A 7.5 MB key of invalid UTF-8 was quoted whole into the error line and
-- the security event. The error must stay one short line.
local key = string.rep("\255", 7500000)
kv.set(key, "v")
