-- cpu: node_cpu_seconds_total{cpu,mode}, the time each CPU spent in each
-- mode since boot, with node_exporter's name, type and labels.
--
-- The host's counters only go up by what is added, so the plugin keeps the
-- last reading per CPU and mode and adds the difference. The first reading
-- adds the whole value, so the series equals /proc/stat's; a value that
-- went down (a CPU taken offline and back) is added afresh. A mode that
-- was 0 and still is needs no call: its series exists at 0 already (nice,
-- irq, steal and guest time stay 0 on most routers).

local modes = { "user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal" }
-- node_cpu_guest_seconds_total{cpu,mode}: guest time, already in user and nice.
local guest_modes = { user = "guest", nice = "guest_nice" }

local last = {} -- last[cpu][mode] = seconds
-- label_cache[cpu][mode] = { cpu = cpu, mode = mode }, made once: the
-- host copies labels, so one table serves every run.
local label_cache = {}

local function add(c, prev, labels, name, field, mode)
  local now = c[field]
  local before = prev[field]
  if now == 0 and before == 0 then
    return
  end
  local delta = now
  if before ~= nil and now >= before then
    delta = now - before
  end
  local l = labels[mode]
  if l == nil then
    l = { cpu = c.cpu, mode = mode }
    labels[mode] = l
  end
  metrics.add(name, delta, l)
  prev[field] = now
end

function collect()
  for _, c in ipairs(board.cpu()) do
    local prev = last[c.cpu] or {}
    local labels = label_cache[c.cpu]
    if labels == nil then
      labels = {}
      label_cache[c.cpu] = labels
    end
    for _, mode in ipairs(modes) do
      add(c, prev, labels, "node_cpu_seconds_total", mode, mode)
    end
    for mode, field in pairs(guest_modes) do
      add(c, prev, labels, "node_cpu_guest_seconds_total", field, mode)
    end
    last[c.cpu] = prev
  end
end
