-- expect: gauge "mem_free_kilobytes" must use the base unit bytes instead of kilobytes
-- rss: 40
-- time: 3s
-- a prefixed unit: promtool asks for the base unit.
function collect()
  metrics.set("mem_free_kilobytes", 1024)
end
