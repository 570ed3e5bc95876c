-- expect: memory limit exceeded \(4 MiB\)
-- rss: 60
-- time: 3s
local parts = {}
for i = 1, 50000 do parts[i] = '"k' .. i .. '":0' end
local doc = "{" .. table.concat(parts, ",") .. "}"
parts = nil
json.decode(doc)
