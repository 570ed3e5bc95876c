-- wan: the uplink as the routing table shows it, per address family.
--
--   heimnetz_wan_up{family}                      1 when the family has a
--                                                default route over a link
--                                                that is up, else 0
--   heimnetz_wan_info{family,interface,gateway}  1 for each default route
--
-- Neither node_exporter nor prometheus-node-exporter-lua names the uplink,
-- so the names are heimnetz's. Whether the internet answers beyond the
-- gateway (round-trip time and loss of an ICMP echo) is measured by the
-- agent itself when the owner configures a probe target in the agent's
-- config (wan_probe), never by a plugin. The agent exports it as
-- heimnetz_wan_probe_{up,loss_ratio,rtt_seconds,sent_total,received_total};
-- plugins may read its last round with board.wan_probe(). This plugin does
-- not export it again: one name from the agent and from a plugin would be
-- two families of that name on /metrics.

local last = {} -- family → labels of the info series exported last
-- family → { family = ... }, made once: the host copies labels.
local up_labels = { ipv4 = { family = "ipv4" }, ipv6 = { family = "ipv6" } }

local function link_up(name)
  for _, ifc in ipairs(board.interfaces({ counters = false })) do
    if ifc.name == name then
      return ifc.operstate == "up" or ifc.operstate == "unknown"
    end
  end
  return false
end

local function family(fam, interface, gateway, up)
  local labels = nil
  local before = last[fam]
  if interface ~= nil then
    if before ~= nil and before.interface == interface and before.gateway == (gateway or "") then
      labels = before
    else
      labels = { family = fam, interface = interface, gateway = gateway or "" }
    end
  end
  if before ~= nil and (labels == nil or before.interface ~= labels.interface or before.gateway ~= labels.gateway) then
    metrics.delete("heimnetz_wan_info", before)
  end
  if labels ~= nil and labels ~= before then
    -- Always 1: set when new; while the route stays, the series stays.
    metrics.set("heimnetz_wan_info", 1, labels)
  end
  metrics.set("heimnetz_wan_up", (labels ~= nil and up) and 1 or 0, up_labels[fam])
  last[fam] = labels
end

function collect()
  local wan, why = board.wan()
  if why ~= nil and wan.interface == nil and wan.interface6 == nil then
    -- No routing table to read: no series, and none left from before.
    for fam, labels in pairs(last) do
      metrics.delete("heimnetz_wan_info", labels)
    end
    metrics.delete("heimnetz_wan_up", up_labels.ipv4)
    metrics.delete("heimnetz_wan_up", up_labels.ipv6)
    last = {}
    return
  end
  family("ipv4", wan.interface, wan.gateway, wan.up)
  -- wan.up is the IPv4 interface's state when there is one.
  local up6 = wan.up
  if wan.interface6 ~= nil and wan.interface ~= nil and wan.interface6 ~= wan.interface then
    up6 = link_up(wan.interface6)
  end
  family("ipv6", wan.interface6, wan.gateway6, up6)
end
