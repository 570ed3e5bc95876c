-- nat-traffic: what each LAN client sends and receives through the flows
-- conntrack tracks now, from the host's per-client sums of
-- /proc/net/nf_conntrack (clients.traffic).
--
--   node_nat_traffic{src}                  bytes both ways of the flows the
--                                          client opened: prometheus-node-
--                                          exporter-lua's nat_traffic series
--                                          summed over dest (pne-lua labels
--                                          each src and dest pair and every
--                                          source, LAN or not)
--   heimnetz_client_flow_transmit_bytes{ip}  of those, sent by the client
--   heimnetz_client_flow_receive_bytes{ip}   received by it
--   heimnetz_client_flows{ip}                its tracked flows
--   heimnetz_conntrack_accounting          1, or 0 when the kernel does not
--                                          count bytes (nf_conntrack_acct
--                                          off: every byte figure is 0)
--
-- These are gauges: a flow that ends takes its bytes with it. Clients are
-- LAN addresses (the host's default LAN prefixes); at most max_clients of
-- them, the busiest, get series, and a client with no tracked flow left
-- has its series deleted.

local max_clients = 64

local names = {
  { "node_nat_traffic", "src", function(c) return c.tx_bytes + c.rx_bytes end },
  { "heimnetz_client_flow_transmit_bytes", "ip", function(c) return c.tx_bytes end },
  { "heimnetz_client_flow_receive_bytes", "ip", function(c) return c.rx_bytes end },
  { "heimnetz_client_flows", "ip", function(c) return c.flows end },
}

local last = {} -- ip → true, clients with series
local warned = false
-- label_cache[ip] = { src = { src = ip }, ip = { ip = ip } } for the
-- clients with series, made once: the host copies labels, so one table
-- serves every run.
local label_cache = {}

local function labels_of(ip)
  local l = label_cache[ip]
  if l == nil then
    l = { src = { src = ip }, ip = { ip = ip } }
    label_cache[ip] = l
  end
  return l
end

local function drop(ip)
  local l = labels_of(ip)
  for _, n in ipairs(names) do
    metrics.delete(n[1], l[n[2]])
  end
  label_cache[ip] = nil
end

function collect()
  local t, why = clients.traffic()
  local list = t.clients or {}
  if why ~= nil and #list == 0 then
    for ip in pairs(last) do
      drop(ip)
    end
    last = {}
    metrics.delete("heimnetz_conntrack_accounting")
    return
  end
  if #list > max_clients then
    table.sort(list, function(a, b) return a.tx_bytes + a.rx_bytes > b.tx_bytes + b.rx_bytes end)
    if not warned then
      log.warn(#list .. " LAN clients in conntrack; series for the " .. max_clients .. " busiest")
      warned = true
    end
  end
  local seen = {}
  for i = 1, math.min(#list, max_clients) do
    local c = list[i]
    local l = labels_of(c.ip)
    for j = 1, #names do -- numeric for: a step of ipairs is a host call
      local n = names[j]
      metrics.set(n[1], n[3](c), l[n[2]])
    end
    seen[c.ip] = true
  end
  for ip in pairs(last) do
    if not seen[ip] then
      drop(ip)
    end
  end
  last = seen
  metrics.set("heimnetz_conntrack_accounting", t.accounting and 1 or 0)
end
