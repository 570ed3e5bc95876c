-- cpu: node_cpu_seconds_total{cpu,mode}, the time each CPU spent in each
-- mode since boot, with node_exporter's name, type and labels.
--
-- The host's counters only go up by what is added, so the plugin keeps the
-- last reading per CPU and mode and adds the difference. The first reading
-- adds the whole value, so the series equals /proc/stat's; a value that
-- went down (a CPU taken offline and back) is added afresh.

local modes = { "user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal" }
-- node_cpu_guest_seconds_total{cpu,mode}: guest time, already in user and nice.
local guest_modes = { user = "guest", nice = "guest_nice" }

local last = {} -- last[cpu][mode] = seconds

function collect()
  for _, c in ipairs(board.cpu()) do
    local prev = last[c.cpu] or {}
    local function add(name, field, mode)
      local now = c[field]
      local before = prev[field]
      local delta = now
      if before ~= nil and now >= before then
        delta = now - before
      end
      metrics.add(name, delta, { cpu = c.cpu, mode = mode })
      prev[field] = now
    end
    for _, mode in ipairs(modes) do
      add("node_cpu_seconds_total", mode, mode)
    end
    for mode, field in pairs(guest_modes) do
      add("node_cpu_guest_seconds_total", field, mode)
    end
    last[c.cpu] = prev
  end
end
