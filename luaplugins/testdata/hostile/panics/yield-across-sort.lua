-- expect: attempt to yield across metamethod/C-call boundary
-- rss: 40
-- time: 3s
-- A yield from a table.sort comparator: upstream failed the whole plugin
-- with "can not yield from outside of a coroutine" instead of failing the
-- coroutine.
local co = coroutine.wrap(function()
	table.sort({3, 2, 1}, function(a, b) coroutine.yield() return a < b end)
end)
co()
