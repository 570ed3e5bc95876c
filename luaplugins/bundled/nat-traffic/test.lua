-- Tests for nat-traffic against its own fixture (testdata/: the MT7621's
-- /proc/net/nf_conntrack with eleven flows of five LAN clients, IPv4 and
-- IPv6, and the routes that name the LAN, as in board/testdata).

function test_laptop()
  collect()
  assert_eq(metric("node_nat_traffic", { src = "192.168.1.23" }), 131287 + 3528144)
  assert_eq(metric("heimnetz_client_flow_transmit_bytes", { ip = "192.168.1.23" }), 131287)
  assert_eq(metric("heimnetz_client_flow_receive_bytes", { ip = "192.168.1.23" }), 3528144)
  assert_eq(metric("heimnetz_client_flows", { ip = "192.168.1.23" }), 3)
  assert_eq(metric("heimnetz_conntrack_accounting"), 1)
end

function test_ipv6_and_guest_clients()
  collect()
  assert_eq(metric("node_nat_traffic", { src = "fd12:3456:789a::4a" }), 401233 + 12033122)
  assert_eq(metric("heimnetz_client_flows", { ip = "192.168.3.101" }), 2)
  assert_eq(metric("heimnetz_client_flow_transmit_bytes", { ip = "fd12:3456:789a:3::e0" }), 104)
end

function test_wan_side_is_no_client()
  collect()
  assert_eq(metric("node_nat_traffic", { src = "198.51.100.23" }), nil)
  assert_eq(metric("node_nat_traffic", { src = "142.250.185.78" }), nil)
end

function test_no_conntrack_gives_no_series()
  local real, set, writes = clients.traffic, metrics.set, 0
  clients.traffic = function()
    return { clients = {}, flows = 0, accounting = false }, "clients.traffic: board: /proc/net/nf_conntrack: file does not exist"
  end
  metrics.set = function(...) writes = writes + 1 return set(...) end
  local ok, err = pcall(collect)
  clients.traffic, metrics.set = real, set
  if not ok then error(err, 0) end
  assert_eq(writes, 0)
end
