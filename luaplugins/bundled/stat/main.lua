-- stat: node_exporter's stat collector from /proc/stat:
-- node_boot_time_seconds, node_context_switches_total, node_forks_total,
-- node_intr_total, node_procs_running and node_procs_blocked. Uptime is
-- node_time_seconds - node_boot_time_seconds, as node_exporter's own
-- dashboards compute it.
--
-- The host's counters only go up by what is added, so the plugin adds the
-- difference to the last reading (the whole value the first time).

local counters = {
  { "context_switches", "node_context_switches_total" },
  { "processes", "node_forks_total" },
  { "interrupts", "node_intr_total" },
}

local last = {}

function collect()
  local st, why = board.stat()
  if why ~= nil and st.boot_time == nil then
    return
  end
  metrics.set("node_boot_time_seconds", st.boot_time)
  metrics.set("node_procs_running", st.procs_running)
  metrics.set("node_procs_blocked", st.procs_blocked)
  for _, c in ipairs(counters) do
    local now, before = st[c[1]], last[c[1]]
    if now ~= nil then
      local delta = now
      if before ~= nil and now >= before then
        delta = now - before
      end
      metrics.add(c[2], delta)
      last[c[1]] = now
    end
  end
end
