-- netstat: node_netstat_<Protocol>_<Field> for the fields node_exporter's
-- netstat collector exports by default (its --collector.netstat.fields
-- default), as gauges of the kernel's current value, which is the type
-- prometheus-node-exporter-lua gives them (node_exporter: untyped).
--
-- The table below is that default written out; the agent accepts exactly
-- these camelCase names from a bundled plugin (luaplugins.NetstatDefaultField),
-- and luaplugins' TestBundledNetstatFields checks the two agree.

-- Fields every protocol exports.
local any_protocol = { InErrors = true, InErrs = true }

-- Protocol → field → true, and protocol → prefixes of fields.
local fields = {
  Ip = { Forwarding = true },
  Ip6 = { InOctets = true, OutOctets = true },
  IpExt = { InOctets = true, OutOctets = true },
  Icmp = { InMsgs = true, OutMsgs = true },
  Icmp6 = { InMsgs = true, OutMsgs = true },
  TcpExt = { TCPSynRetrans = true, TCPTimeouts = true, TCPOFOQueue = true, TCPRcvQDrop = true },
  Tcp = { ActiveOpens = true, InSegs = true, OutSegs = true, OutRsts = true, PassiveOpens = true, RetransSegs = true, CurrEstab = true },
  Udp = { InDatagrams = true, OutDatagrams = true, NoPorts = true, RcvbufErrors = true, SndbufErrors = true },
  Udp6 = { InDatagrams = true, OutDatagrams = true, NoPorts = true, RcvbufErrors = true, SndbufErrors = true },
  UdpLite = {},
  UdpLite6 = {},
}
local prefixes = { TcpExt = { "Listen", "Syncookies" } }

-- wanted reports whether node_exporter exports proto's field by default.
local function wanted(proto, field)
  local f = fields[proto]
  if f == nil then
    return false
  end
  if f[field] or any_protocol[field] then
    return true
  end
  for _, p in ipairs(prefixes[proto] or {}) do
    if field:sub(1, #p) == p then
      return true
    end
  end
  return false
end

-- want asks the host for the fields above only (a superset of what
-- wanted admits), so the 300-odd others never become Lua tables.
local want = {}
for proto, f in pairs(fields) do
  local list = {}
  for field in pairs(any_protocol) do
    list[#list + 1] = field
  end
  for field in pairs(f) do
    list[#list + 1] = field
  end
  for _, p in ipairs(prefixes[proto] or {}) do
    list[#list + 1] = p .. "*"
  end
  want[proto] = list
end

local names = {} -- names[proto][field] = metric name, or false when not exported
-- at_zero[name] is true while the gauge name is 0: a counter that stays 0
-- (most error and overflow counters of a healthy router) needs no call.
local at_zero = {}

function collect()
  local stats = board.netstat(want)
  for proto, values in pairs(stats) do
    local known = names[proto]
    if known == nil then
      known = {}
      names[proto] = known
    end
    for field, value in pairs(values) do
      local name = known[field]
      if name == nil then
        name = wanted(proto, field) and ("node_netstat_" .. proto .. "_" .. field)
        known[field] = name
      end
      if name and (value ~= 0 or not at_zero[name]) then
        metrics.set(name, value)
        at_zero[name] = value == 0 or nil
      end
    end
  end
end
