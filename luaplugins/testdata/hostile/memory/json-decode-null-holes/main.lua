-- expect: memory limit exceeded \(4 MiB\)
-- rss: 60
-- time: 3s
-- nulls leave holes: 209,000 nil slots before the 1, each a slot.
local doc = "[" .. string.rep("null,", 209000) .. "1]"
json.decode(doc)
