-- expect: ok
-- args: --limit timeout=5s
-- rss: 60
-- time: 7s
-- stdout: sweep: no Go text in [0-9]+ calls
-- stdout-not: runtime error|slice bounds|index out of range \[|nil pointer|%!|goroutine|lua\.L|internal error
-- Every string, table, math, coroutine and base builtin called with every
-- pair of hostile arguments under pcall: no error message or result may
-- carry Go text. (About 16,000 calls; errors are slow in gopher-lua, so
-- the case asks for 5 s.)
local args = {nil, true, -0, 2^31, 2^53, -2^63, 2^64, 1/0, 0/0, "", "%", "%[1]s", "0x10", {}, type}
local nargs = 15
local bad = {"runtime error", "slice bounds", "index out of range %[", "nil pointer", "%%!", "goroutine", "lua%.L", "internal error"}
local calls = 0
local function check(v, what)
	if type(v) == "string" then
		for _, b in ipairs(bad) do
			if v:find(b) then error("Go text from " .. what .. ": " .. v, 0) end
		end
	end
end
local libs = {string = string, table = table, math = math, coroutine = coroutine}
local names = {}
for lib, t in pairs(libs) do
	for name, f in pairs(t) do
		if type(f) == "function" and not (lib == "string" and name == "rep") then
			names[#names + 1] = {lib .. "." .. name, f}
		end
	end
end
for _, name in ipairs({"assert", "error", "getmetatable", "ipairs", "next", "pairs", "pcall", "rawequal", "rawget", "rawset", "select", "setmetatable", "tonumber", "tostring", "type", "unpack", "xpcall"}) do
	names[#names + 1] = {name, _G[name]}
end
for _, nf in ipairs(names) do
	for i = 1, nargs do
		for j = 1, nargs do
			local res = {pcall(nf[2], args[i], args[j], args[j])}
			calls = calls + 1
			for k = 2, #res do check(res[k], nf[1]) end
		end
	end
end
print("sweep: no Go text in " .. calls .. " calls")
