-- {{.Name}}: the uplink as the router itself sees it.
--
-- About network access: heimnetz plugins cannot open connections. There is
-- no http or socket module, and io, os and require are not in the sandbox,
-- so a plugin cannot probe a web server, call an API or leak data. What a
-- plugin can do is report what the router already knows. This template
-- watches the WAN interface's counters from board.netdev() and reports
-- whether traffic moved since the last run; the agent itself serves the
-- result over HTTP on /metrics and /api/v1/plugins/{{.Name}}.
--
-- The json module turns Lua tables into JSON text, here for a log line.

local WAN = "wan"
local last_rx, last_tx

local function find(ifaces, name)
  for _, iface in ipairs(ifaces) do
    if iface.name == name then
      return iface
    end
  end
  return nil
end

function collect()
  local wan = find(board.netdev(), WAN)
  if wan == nil then
    metrics.set("{{.Metric}}_wan_present", 0)
    return
  end
  metrics.set("{{.Metric}}_wan_present", 1)
  metrics.set("{{.Metric}}_wan_receive_bytes", wan.rx_bytes)
  metrics.set("{{.Metric}}_wan_transmit_bytes", wan.tx_bytes)
  local moving = last_rx ~= nil and (wan.rx_bytes ~= last_rx or wan.tx_bytes ~= last_tx)
  metrics.set("{{.Metric}}_wan_traffic_moving", moving and 1 or 0)
  last_rx, last_tx = wan.rx_bytes, wan.tx_bytes
  log.info(json.encode({ interface = WAN, rx_bytes = wan.rx_bytes, tx_bytes = wan.tx_bytes, moving = moving }))
end
