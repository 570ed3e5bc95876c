-- expect: error object is a table
error(setmetatable({}, {__tostring = function() while true do end end}))
