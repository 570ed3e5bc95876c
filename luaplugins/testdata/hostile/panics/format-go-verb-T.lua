-- expect: invalid option '%T' to 'format'
-- rss: 40
-- time: 3s
-- %T printed Go type names (lua.LNumber, *lua.LTable).
print(string.format("%T", {}))
