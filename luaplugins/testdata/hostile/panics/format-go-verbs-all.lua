-- expect: ok
-- rss: 40
-- time: 3s
-- stdout: format: 14 Go-only verbs refused
-- stdout-not: lua\.L|%!|0xc0
-- Every Go-only verb and form must be refused with C Lua's message.
local n = 0
for _, f in ipairs({"%v", "%+v", "%T", "%b", "%U", "%t", "%p", "%w", "%F", "%*d", "%ld", "%[1]s", "%x%[1]x", "%#v"}) do
	local ok, err = pcall(string.format, f, 1, 2)
	assert(not ok and err:find("invalid option '%", 1, true), f .. ": " .. tostring(err))
	n = n + 1
end
print("format: " .. n .. " Go-only verbs refused")
