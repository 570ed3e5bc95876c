-- loadavg: node_load1, node_load5 and node_load15, as node_exporter names them.

function collect()
  local load, why = board.loadavg()
  if why ~= nil then
    return -- no /proc/loadavg: no series rather than zeros
  end
  metrics.set("node_load1", load.load1)
  metrics.set("node_load5", load.load5)
  metrics.set("node_load15", load.load15)
end
