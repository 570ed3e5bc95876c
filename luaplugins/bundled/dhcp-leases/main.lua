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
-- made[ip] is the key of the lease at ip in the previous round, so an
-- unchanged lease (the usual round) reuses its labels from last and costs
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

-- key_for returns the key and labels of lease l: those of the previous
-- round when l is the same as then (a host name metrics.label had to cut
-- is never the same, and is made again each round).
local function key_for(l)
  local key = made[l.ip]
  local lb = key and last[key]
  if lb and lb.source == l.source and lb.family == l.family and lb.mac == l.mac and lb.hostname == l.hostname then
    return key, lb
  end
  lb = labels_of(l)
  return key_of(lb), lb
end

function collect()
  local leases, why = clients.dhcp_leases()
  if why ~= nil and #leases == 0 then
    leases = {} -- no source: no series, and earlier ones go below
  end
  local counts = { ipv4 = 0, ipv6 = 0 }
  local seen, n, now_made = {}, 0, {}
  for i = 1, #leases do -- numeric for: a step of ipairs is a host call
    local l = leases[i]
    counts[l.family] = (counts[l.family] or 0) + 1
    if n < max_leases then
      local key, lb = key_for(l)
      now_made[l.ip] = key
      if seen[key] == nil then
        n = n + 1
        if last[key] == nil then
          metrics.set("heimnetz_dhcp_lease_info", 1, lb)
        else
          lb = last[key] -- its series is there, at 1, from the previous round
        end
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
