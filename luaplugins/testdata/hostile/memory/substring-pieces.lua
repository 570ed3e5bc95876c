-- expect: ok
-- args: --limit instructions=100000000 --limit timeout=5s
-- rss: 60
-- time: 7s
-- stdout: kept 100 pieces of 16 bytes
-- A 16-byte piece of each of 100 strings of 1 MB: the meter counts the
-- pieces, so they must not keep their parents (100 MB) alive.
local keep = {}
for i = 1, 100 do
	local big = "y" .. i .. string.rep("x", 1000000)
	keep[i] = big:sub(5, 20)
end
print("kept " .. #keep .. " pieces of " .. #keep[1] .. " bytes")
function collect() end
