-- expect: label name "ifName" may hold only lowercase letters
-- rss: 40
-- time: 3s
-- a camelCase label name.
function collect()
  metrics.set("link_up", 1, { ifName = "eth0" })
end
