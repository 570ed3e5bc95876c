-- expect: attempt to yield across metamethod/C-call boundary
-- rss: 40
-- time: 3s
-- A yield from a string.gsub replacement function.
local co = coroutine.create(function()
	return (string.gsub("abc", "%w", function(c) coroutine.yield(c) end))
end)
local ok, err = coroutine.resume(co)
assert(not ok and coroutine.status(co) == "dead")
error(err, 0)
