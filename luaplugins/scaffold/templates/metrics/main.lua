-- {{.Name}}: memory and load of the router as gauges.
--
-- The board module hands over tables the host parsed from /proc; a plugin
-- never reads files itself. metrics.set writes a gauge (the value now);
-- metrics.add a counter (names end in _total). Every series is exported on
-- the agent's /metrics as name{plugin="{{.Name}}",...}.

local function ratio(part, whole)
  if whole == nil or whole == 0 then
    return 0
  end
  return part / whole
end

function collect()
  local mem = board.meminfo()
  metrics.set("{{.Metric}}_memory_used_ratio", ratio(mem.mem_total - mem.mem_available, mem.mem_total))
  metrics.set("{{.Metric}}_memory_available_bytes", mem.mem_available)

  local load = board.loadavg()
  metrics.set("{{.Metric}}_load", load.load1, { minutes = "1" })
  metrics.set("{{.Metric}}_load", load.load5, { minutes = "5" })
  metrics.set("{{.Metric}}_load", load.load15, { minutes = "15" })
end
