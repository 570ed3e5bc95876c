-- netclass: link state of every interface with node_exporter's netclass
-- names, by {device}: node_network_up (operstate "up"), node_network_carrier,
-- node_network_mtu_bytes, node_network_speed_bytes (the link speed in
-- bytes per second) and node_network_carrier_changes_total. Where the
-- kernel cannot tell the carrier or speed (the link is down, a virtual
-- interface) the series is left out; node_exporter writes -125000 for an
-- unknown speed.

local last_changes = {} -- last carrier_changes per device
-- label_cache[device] = { device = device }, made once: the host copies
-- labels, so one table serves every run.
local label_cache = {}

function collect()
  for _, ifc in ipairs(board.interfaces({ counters = false })) do
    local labels = label_cache[ifc.name]
    if labels == nil then
      labels = { device = ifc.name }
      label_cache[ifc.name] = labels
    end
    metrics.set("node_network_up", ifc.operstate == "up" and 1 or 0, labels)
    metrics.set("node_network_mtu_bytes", ifc.mtu, labels)
    if ifc.carrier ~= nil then
      metrics.set("node_network_carrier", ifc.carrier and 1 or 0, labels)
    end
    if ifc.speed_mbps ~= nil then
      metrics.set("node_network_speed_bytes", ifc.speed_mbps * 125000, labels)
    end
    local changes = ifc.carrier_changes
    if changes ~= nil then
      local before = last_changes[ifc.name]
      local delta = changes
      if before ~= nil and changes >= before then
        delta = changes - before
      end
      metrics.add("node_network_carrier_changes_total", delta, labels)
      last_changes[ifc.name] = changes
    end
  end
end
