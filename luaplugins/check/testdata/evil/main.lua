local f = io.open("/etc/shadow")
local name = "x" .. "y"
local g = _G[name]
kv.set("a", "b")
password = "hunter2hunter2"
local url = "http://192.168.1.1/admin"
while true do
  log.info("spin")
end
local s = string.rep("a", 100000000)
local m = string.match(s, "(.*)=(.*)")
metrics.add("runs", 1)
log.infoo("typo")
print(undefined_thing)
local token = "ghp_abcdefghijklmnopqrstuvwxyz0123456789"
for i = 1, 1e9 do end
local mt = getmetatable("")
string.dump(print)
