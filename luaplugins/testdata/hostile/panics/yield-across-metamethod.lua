-- expect: attempt to yield across metamethod/C-call boundary
-- rss: 40
-- time: 3s
-- A yield from an __index function called by the VM through Go.
local t = setmetatable({}, {__index = function() coroutine.yield(1) return 3 end})
local co = coroutine.create(function() return t.x end)
local ok, err = coroutine.resume(co)
assert(not ok)
error(err, 0)
