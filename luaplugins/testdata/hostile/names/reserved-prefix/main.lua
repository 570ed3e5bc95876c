-- expect: gauge "heimnetz_plugin_memory_usage_bytes" uses the agent's reserved prefix heimnetz_
-- rss: 40
-- time: 3s
-- overwriting the agent's own family.
function collect()
  metrics.set("heimnetz_plugin_memory_usage_bytes", 0)
end
