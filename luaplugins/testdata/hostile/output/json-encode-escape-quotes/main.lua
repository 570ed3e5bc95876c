-- expect: json\.encode: the text would exceed 1048576 bytes
-- rss: 60
-- time: 3s
-- 600,000 quotes are 600 KB as Lua strings and 1.2 MB escaped; spread over
-- keys and values so no single string is over the bound.
local t = {}
for i = 1, 60 do t["k" .. i .. string.rep('"', 5000)] = string.rep('\\', 5000) end
json.encode(t)
