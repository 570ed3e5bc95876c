-- expect: ok
-- stdout: ^x{500}x{500,524}…\(\+\d+ bytes\)\n$
-- rss: 40
-- time: 3s
-- 200 arguments of 100 KB each: print stops building the line at the
-- bound instead of joining 20 MB first.
local big = string.rep("x", 100000)
local args = {}
for i = 1, 200 do args[i] = big end
print(unpack(args))
