-- expect: json\.encode: the text would exceed 1048576 bytes
-- rss: 60
-- time: 3s
-- 300,000 NUL bytes escape to 1.8 MB of \u0000: the 1 MiB bound must count
-- the escapes as they are written, not the input's length.
local s = string.rep("\0", 300000)
print(#s)
json.encode(s)
