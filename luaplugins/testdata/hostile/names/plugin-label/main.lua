-- expect: label name plugin is reserved
-- rss: 40
-- time: 3s
-- the label the agent adds, to pass as another plugin.
function collect()
  metrics.set("spoof_value", 1, { plugin = "system" })
end
