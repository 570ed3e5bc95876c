-- expect: ok
-- rss: 40
-- time: 3s
-- stdout: find: every init as C Lua 5\.1
-- stdout-not: runtime error|slice bounds|internal error
-- string.find with plain=true and an init far outside the subject, NaN or
-- infinite: upstream sliced the string with the unclamped init (a Go
-- "slice bounds out of range" panic shown to the plugin).
local s = "abc"
local function same(want, ...)
	local got = table.concat({tostring((select(1, ...))), tostring((select(2, ...)))}, " ")
	assert(got == want, "got " .. got .. ", want " .. want)
end
same("nil nil", string.find(s, "b", 2^40, true))
same("2 2", string.find(s, "b", -2^40, true))
same("2 2", string.find(s, "b", 0/0, true))
same("2 2", string.find(s, "b", 1/0, true))
same("2 2", string.find(s, "b", -1/0))
same("nil nil", string.find(s, "b", 2^53))
same("4 3", string.find(s, "", 2^40))
same("c nil", string.match(s, "c", -2^63))
print("find: every init as C Lua 5.1")
