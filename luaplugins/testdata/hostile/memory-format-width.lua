-- expect: main\.lua:2: invalid format \(width or precision too long\)$
local s = string.format("%099999999d", 1)
local t = {}
for i = 1, 1000 do t[i] = string.format("%0" .. (1000000 + i) .. "d", i) end
