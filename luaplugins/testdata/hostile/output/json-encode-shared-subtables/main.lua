-- expect: json\.encode: the text would exceed 1048576 bytes
-- rss: 60
-- time: 3s
-- No cycle, but each level refers to the one below twice: 2^30 copies of
-- "x" if the encoder did not stop at the bound as it writes.
local t = {"x"}
for i = 1, 30 do t = {t, t} end
json.encode(t)
