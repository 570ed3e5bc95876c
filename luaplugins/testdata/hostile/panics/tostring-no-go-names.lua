-- expect: ok
-- rss: 40
-- time: 3s
-- stdout: tostring: C Lua's forms only
-- stdout-not: lua\.L|\*lua|LFunction|LTable|LState
-- What tostring shows of functions, tables and threads: C Lua's
-- "function: 0x..." form (an address, as C Lua prints), never a Go type.
for _, v in ipairs({print, function() end, {}, coroutine.create(function() end), string.gmatch("a", "a")}) do
	local s = tostring(v)
	assert(s:match("^%a+: 0x%x+$"), s)
	assert(not s:find("lua%.") and not s:find("%*"), s)
end
print("tostring: C Lua's forms only")
