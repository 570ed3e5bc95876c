-- netclass: link state of every interface with node_exporter's netclass
-- names, by {device}: node_network_up (operstate "up"), node_network_carrier,
-- node_network_mtu_bytes, node_network_speed_bytes (the link speed in
-- bytes per second) and node_network_carrier_changes_total. Where the
-- kernel cannot tell the carrier or speed (the link is down, a virtual
-- interface) the series is left out; node_exporter writes -125000 for an
-- unknown speed.

-- known[device] holds the device's labels, made once (the host copies
-- labels, so one table serves every run), its last carrier_changes and
-- the last value set for each gauge. Link state changes seldom, so a
-- gauge is set again only when its value changes. Like the series, an
-- entry stays when its interface goes.
local known = {}

local no_counters = { counters = false }

-- set_changed sets the gauge name of k's labels to v, unless k holds
-- that v was set already.
local function set_changed(k, name, v)
  if k[name] ~= v then
    metrics.set(name, v, k.labels)
    k[name] = v
  end
end

function collect()
  for _, ifc in ipairs(board.interfaces(no_counters)) do
    local k = known[ifc.name]
    if k == nil then
      k = { labels = { device = ifc.name } }
      known[ifc.name] = k
    end
    set_changed(k, "node_network_up", ifc.operstate == "up" and 1 or 0)
    set_changed(k, "node_network_mtu_bytes", ifc.mtu)
    if ifc.carrier ~= nil then
      set_changed(k, "node_network_carrier", ifc.carrier and 1 or 0)
    end
    if ifc.speed_mbps ~= nil then
      set_changed(k, "node_network_speed_bytes", ifc.speed_mbps * 125000)
    end
    local changes = ifc.carrier_changes
    if changes ~= nil then
      local before = k.changes
      if before == nil or changes ~= before then
        local delta = changes
        if before ~= nil and changes >= before then
          delta = changes - before
        end
        metrics.add("node_network_carrier_changes_total", delta, k.labels)
        k.changes = changes
      end
    end
  end
end
