-- expect: instruction limit exceeded
setmetatable({}, {__gc = function() end})
while true do end
