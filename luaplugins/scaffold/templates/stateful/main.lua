-- {{.Name}}: keeps state across runs, restarts and upgrades in kv.
--
-- kv is the plugin's own key/value store (strings only). kv.set returns
-- once the value would survive a crash of the agent; the data stays when
-- the plugin is reloaded or upgraded, and the owner can clear it. Writes
-- are limited per minute, so store summaries, not every sample.

local function number(key)
  return tonumber(kv.get(key) or "0") or 0
end

function collect()
  local runs = number("runs") + 1
  kv.set("runs", tostring(runs))
  metrics.set("{{.Metric}}_runs", runs)

  local load = board.loadavg().load1
  if load > number("peak_load") then
    kv.set("peak_load", tostring(load))
  end
  metrics.set("{{.Metric}}_peak_load", number("peak_load"))
end
