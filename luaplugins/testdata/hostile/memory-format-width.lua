-- expect: memory limit exceeded|invalid|format
local s = string.format("%099999999d", 1)
local t = {}
for i = 1, 1000 do t[i] = string.format("%0" .. (1000000 + i) .. "d", i) end
