-- expect: instruction limit exceeded
setmetatable(_G, {__index = function(t, k) while true do end end})
local x = undefined_global
