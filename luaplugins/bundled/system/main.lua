-- system: the device's load, memory and uptime as gauges.

local memory_kinds = {
  total = "mem_total",
  free = "mem_free",
  available = "mem_available",
  buffers = "buffers",
  cached = "cached",
  swap_total = "swap_total",
  swap_free = "swap_free",
}

function collect()
  local load = board.loadavg()
  metrics.set("system_load1", load.load1)
  metrics.set("system_load5", load.load5)
  metrics.set("system_load15", load.load15)
  metrics.set("system_processes", load.total, { state = "all" })
  metrics.set("system_processes", load.running, { state = "running" })

  local mem = board.meminfo()
  for kind, field in pairs(memory_kinds) do
    metrics.set("system_memory_bytes", mem[field] or 0, { kind = kind })
  end

  metrics.set("system_uptime_seconds", board.uptime().seconds)
end
