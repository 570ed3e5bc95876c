-- expect: instruction limit exceeded \(3000000\)
local t = {}
table.insert(t, 1e9, "x")
for i = 1, 1e9 do table.insert(t, 1, i) end
