-- expect: attempt to yield across metamethod/C-call boundary
-- rss: 40
-- time: 3s
-- coroutine.yield inside pcall inside a coroutine: upstream unwound only
-- pcall's inner main loop, and the next resume died with a Go nil-pointer
-- panic. As in C Lua, pcall returns the boundary error.
local co = coroutine.create(function()
	local ok, err = pcall(function() coroutine.yield(1) end)
	error(err, 0)
end)
local ok, err = coroutine.resume(co)
local again = {coroutine.resume(co)}
assert(not again[1])
error(err, 0)
