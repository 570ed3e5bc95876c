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
-- gauge is set again only when its value changes. k.round is the last
-- round that listed the interface: one that is gone takes its series
-- with it, as in node_exporter; a failed read removes nothing.
local known = {}
local round = 0

-- Every series an interface can have.
local series = {
  "node_network_up", "node_network_mtu_bytes", "node_network_carrier",
  "node_network_speed_bytes", "node_network_carrier_changes_total",
}

local no_counters = { counters = false }

-- add_after_record: a counter's new reading is recorded before the
-- metrics.add that passes its difference on. A call stopped by a limit
-- between the two then misses one difference next round, where the
-- other order would add it twice (a first reading twice is a spike of
-- its whole value in rate()).

function collect()
  local ifcs, why = board.interfaces(no_counters)
  if why ~= nil and #ifcs == 0 then
    return
  end
  round = round + 1
  for i = 1, #ifcs do -- numeric for: a step of ipairs is a host call
    local ifc = ifcs[i]
    local k = known[ifc.name]
    if k == nil then
      k = { labels = { device = ifc.name } }
      known[ifc.name] = k
    end
    k.round = round
    local up = ifc.operstate == "up" and 1 or 0
    if k.up ~= up then
      metrics.set("node_network_up", up, k.labels)
      k.up = up
    end
    if k.mtu ~= ifc.mtu then
      metrics.set("node_network_mtu_bytes", ifc.mtu, k.labels)
      k.mtu = ifc.mtu
    end
    if ifc.carrier ~= nil then
      local carrier = ifc.carrier and 1 or 0
      if k.carrier ~= carrier then
        metrics.set("node_network_carrier", carrier, k.labels)
        k.carrier = carrier
      end
    end
    if ifc.speed_mbps ~= nil then
      local speed = ifc.speed_mbps * 125000
      if k.speed ~= speed then
        metrics.set("node_network_speed_bytes", speed, k.labels)
        k.speed = speed
      end
    end
    local changes = ifc.carrier_changes
    if changes ~= nil and changes ~= k.changes then
      local before = k.changes
      local delta = changes
      if before ~= nil and changes >= before then
        delta = changes - before
      end
      k.changes = changes -- first: see add_after_record
      metrics.add("node_network_carrier_changes_total", delta, k.labels)
    end
  end
  for name, k in pairs(known) do
    if k.round ~= round then
      for j = 1, #series do
        metrics.delete(series[j], k.labels)
      end
      known[name] = nil
    end
  end
end
