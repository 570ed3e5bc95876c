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

-- add_after_record: a counter's new reading is recorded before the
-- metrics.add that passes its difference on. A call stopped by a limit
-- between the two then misses one difference next round, where the
-- other order would add it twice (a first reading twice is a spike of
-- its whole value in rate()).

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
      last[c[1]] = now -- first: see add_after_record
      metrics.add(c[2], delta)
    end
  end
end
