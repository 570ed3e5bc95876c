-- Tests for dhcp-leases against its own fixture (testdata/: dnsmasq's
-- /tmp/dhcp.leases with four IPv4 leases and odhcpd's /tmp/hosts/odhcpd
-- with three IPv6 leases, as in board/testdata).
--
-- Which mac and hostname labels a lease has depends on the agent's client
-- identity setting, so the tests take them from clients.dhcp_leases() as
-- the plugin does; luaplugins' Go tests run it in each setting.

local function info_labels(l)
  return { source = l.source, family = l.family, ip = l.ip, mac = l.mac, hostname = l.hostname and metrics.label(l.hostname) }
end

function test_counts_per_family()
  collect()
  assert_eq(metric("heimnetz_dhcp_leases", { family = "ipv4" }), 4)
  assert_eq(metric("heimnetz_dhcp_leases", { family = "ipv6" }), 3)
end

function test_one_info_series_per_lease()
  collect()
  local leases = clients.dhcp_leases()
  assert_eq(#leases, 7)
  for _, l in ipairs(leases) do
    assert_eq(metric("heimnetz_dhcp_lease_info", info_labels(l)), 1, l.ip)
  end
  assert_eq(leases[1].ip, "192.168.1.23")
  assert_eq(leases[5].ip, "fd12:3456:789a::4a")
end

function test_no_lease_file_gives_no_series()
  local real, set, writes = clients.dhcp_leases, metrics.set, 0
  clients.dhcp_leases = function()
    return {}, "clients.dhcp_leases: board: /tmp/dhcp.leases: file does not exist; board: /tmp/hosts/odhcpd: file does not exist"
  end
  metrics.set = function(...) writes = writes + 1 return set(...) end
  local ok, err = pcall(collect)
  clients.dhcp_leases, metrics.set = real, set
  if not ok then error(err, 0) end
  assert_eq(writes, 0)
end

function test_long_host_name_is_cut()
  local real = clients.dhcp_leases
  local long = string.rep("n", 253)
  clients.dhcp_leases = function()
    return { { source = "dnsmasq", family = "ipv4", ip = "192.168.1.50", hostname = long, expires = 0 } }
  end
  local ok, err = pcall(collect)
  clients.dhcp_leases = real
  if not ok then error(err, 0) end
  assert_eq(metric("heimnetz_dhcp_lease_info", { source = "dnsmasq", family = "ipv4", ip = "192.168.1.50", hostname = string.rep("n", 128) }), 1)
end
