-- expect: time limit exceeded \(2s\)
-- rss: 80
-- time: 3.5s
-- One table of 20,000 keys referenced 1,000 times: every reference is
-- walked, sorted and encoded in Go until the 1 MiB output bound; charged
-- per key and byte, a loop of such encodes meets the deadline.
local big = {}
for i = 1, 20000 do big["k" .. i] = true end
local many = {}
for i = 1, 1000 do many[i] = big end
while true do pcall(json.encode, many) end
