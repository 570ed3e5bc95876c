-- dhcp-leases: the leases dnsmasq (/tmp/dhcp.leases) and odhcpd
-- (/tmp/hosts/odhcpd) have handed out. Neither node_exporter nor
-- prometheus-node-exporter-lua has a lease collector, so the names are
-- heimnetz's:
--
--   heimnetz_dhcp_leases{family}     leases per family ("ipv4", "ipv6")
--   heimnetz_dhcp_lease_info{source,family,ip,mac,hostname} 1
--                                    one per lease, at most max_leases
--
-- mac and hostname are what the clients module gives: unless the owner
-- exposes client identity, mac is a keyed hash ("h:…") or absent and
-- hostname absent, and a label the module does not give is left out. A
-- lease that ends has its series deleted. max_leases keeps the info series
-- within the plugin's metric byte budget (512 bytes a series of 500, and
-- a lease's series with a long host name takes about 1,000).

local max_leases = 200

local last = {}   -- key → labels of the previous round
-- made[ip] is what the previous round made of the lease at ip: its raw
-- values, labels and key, so an unchanged lease (the usual round) costs
-- neither a metrics.label call nor new tables.
local made = {}
-- family → { family = ... }, made once (the host copies labels).
local family_labels = { ipv4 = { family = "ipv4" }, ipv6 = { family = "ipv6" } }
local warned = false

-- A host name is what the client sent: up to 253 bytes, longer than a
-- label may be; metrics.label cuts it.
local function labels_of(l)
  local hostname = l.hostname
  if hostname ~= nil then
    hostname = metrics.label(hostname)
  end
  return { source = l.source, family = l.family, ip = l.ip, mac = l.mac, hostname = hostname }
end

local function key_of(lb)
  return table.concat({ lb.source, lb.family, lb.ip, lb.mac or "", lb.hostname or "" }, " ")
end

-- entry_of returns the labels and key of lease l, from the previous round
-- when l is the same as then.
local function entry_of(l)
  local e = made[l.ip]
  if e ~= nil and e.source == l.source and e.family == l.family and e.mac == l.mac and e.hostname == l.hostname then
    return e
  end
  local lb = labels_of(l)
  return { source = l.source, family = l.family, mac = l.mac, hostname = l.hostname, labels = lb, key = key_of(lb) }
end

function collect()
  local leases, why = clients.dhcp_leases()
  if why ~= nil and #leases == 0 then
    leases = {} -- no source: no series, and earlier ones go below
  end
  local counts = { ipv4 = 0, ipv6 = 0 }
  local seen, n, now_made = {}, 0, {}
  for _, l in ipairs(leases) do
    counts[l.family] = (counts[l.family] or 0) + 1
    if n < max_leases then
      local e = entry_of(l)
      now_made[l.ip] = e
      local key = e.key
      if seen[key] == nil then
        n = n + 1
        local lb = last[key]
        if lb == nil then
          lb = e.labels
          metrics.set("heimnetz_dhcp_lease_info", 1, lb)
        end
        -- else the series is there, at 1, from the previous round
        seen[key] = lb
      end
    elseif not warned then
      log.warn("more than " .. max_leases .. " leases; the rest are only counted")
      warned = true
    end
  end
  made = now_made
  for key, lb in pairs(last) do
    if seen[key] == nil then
      metrics.delete("heimnetz_dhcp_lease_info", lb)
    end
  end
  last = seen
  for family, c in pairs(counts) do
    local fl = family_labels[family] or { family = family }
    if #leases == 0 and why ~= nil then
      metrics.delete("heimnetz_dhcp_leases", fl)
    else
      metrics.set("heimnetz_dhcp_leases", c, fl)
    end
  end
end
