-- expect: attempt to yield across metamethod/C-call boundary
-- rss: 40
-- time: 3s
-- A yield from a generic-for iterator function, which gopher-lua calls
-- from Go.
local co = coroutine.create(function()
	for k in function() coroutine.yield(7) end do end
end)
local ok, err = coroutine.resume(co)
assert(not ok)
error(err, 0)
