-- cpu: node_cpu_seconds_total{cpu,mode}, the time each CPU spent in each
-- mode since boot, with node_exporter's name, type and labels.
--
-- The host's counters only go up by what is added, so the plugin keeps the
-- last reading per CPU and mode and adds the difference. The first reading
-- adds the whole value, so the series equals /proc/stat's; a value that
-- went down (a CPU taken offline and back) is added afresh. A mode that
-- was 0 and still is needs no call: its series exists at 0 already (nice,
-- irq, steal and guest time stay 0 on most routers).

-- Each series of a CPU: its metric, the board.cpu() field it counts and
-- its mode label. node_cpu_guest_seconds_total{cpu,mode} is guest time,
-- already part of user and nice.
local series = {
  { "node_cpu_seconds_total", "user", "user" },
  { "node_cpu_seconds_total", "nice", "nice" },
  { "node_cpu_seconds_total", "system", "system" },
  { "node_cpu_seconds_total", "idle", "idle" },
  { "node_cpu_seconds_total", "iowait", "iowait" },
  { "node_cpu_seconds_total", "irq", "irq" },
  { "node_cpu_seconds_total", "softirq", "softirq" },
  { "node_cpu_seconds_total", "steal", "steal" },
  { "node_cpu_guest_seconds_total", "guest", "user" },
  { "node_cpu_guest_seconds_total", "guest_nice", "nice" },
}

local last = {} -- last[cpu][field] = seconds
-- label_cache[cpu][mode] = { cpu = cpu, mode = mode }, made once: the
-- host copies labels, so one table serves every run.
local label_cache = {}

-- The loops count with numeric for rather than ipairs, whose every step
-- is a call of a host function.
-- add_after_record: a counter's new reading is recorded before the
-- metrics.add that passes its difference on. A call stopped by a limit
-- between the two then misses one difference next round, where the
-- other order would add it twice (a first reading twice is a spike of
-- its whole value in rate()).

function collect()
  local cpus = board.cpu()
  for i = 1, #cpus do
    local c = cpus[i]
    local prev = last[c.cpu]
    if prev == nil then
      -- kept at once: a collect that ends part-way (a limit) must not
      -- add the whole value again next time
      prev = {}
      last[c.cpu] = prev
    end
    local labels = label_cache[c.cpu]
    if labels == nil then
      labels = {}
      label_cache[c.cpu] = labels
    end
    for j = 1, #series do
      local s = series[j]
      local field = s[2]
      local now, before = c[field], prev[field]
      if now ~= 0 or before ~= 0 then
        local delta = now
        if before ~= nil and now >= before then
          delta = now - before
        end
        local mode = s[3]
        local l = labels[mode]
        if l == nil then
          l = { cpu = c.cpu, mode = mode }
          labels[mode] = l
        end
        prev[field] = now -- first: see add_after_record
        metrics.add(s[1], delta, l)
      end
    end
  end
end
