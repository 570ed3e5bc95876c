-- expect: attempt to yield across metamethod/C-call boundary
-- rss: 40
-- time: 3s
-- A yield outside any coroutine: the plugin's own call comes from Go, so
-- C Lua's message applies here too.
coroutine.yield(1)
