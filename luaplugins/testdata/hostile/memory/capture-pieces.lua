-- expect: ok
-- args: --limit instructions=100000000 --limit timeout=5s
-- rss: 60
-- time: 7s
-- stdout: kept 120 pieces
-- Captures of match and find and gsub's callback argument, each cut from
-- its own 1 MB subject and kept: they must not keep 120 MB of subjects
-- alive.
local keep = {}
local function big(i)
	return "y" .. i .. string.rep("x", 1000000)
end
for i = 1, 40 do
	keep[#keep + 1] = big(i):match("(y%d+)")
	keep[#keep + 1] = select(3, big(i):find("(xxxx)"))
	big(i):gsub("^y%d", function(s) keep[#keep + 1] = s end, 1)
end
print("kept " .. #keep .. " pieces")
function collect() end
