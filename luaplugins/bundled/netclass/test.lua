-- Tests for netclass against its own fixture (testdata/: the MT7621's
-- /sys/class/net with a gigabit WAN, a DSA port without a cable and a
-- bridge without speed).

function test_wan_link()
  collect()
  local wan = { device = "wan" }
  assert_eq(metric("node_network_up", wan), 1)
  assert_eq(metric("node_network_carrier", wan), 1)
  assert_eq(metric("node_network_speed_bytes", wan), 125000000)
  assert_eq(metric("node_network_mtu_bytes", wan), 1500)
  assert_eq(metric("node_network_carrier_changes_total", wan), 3)
end

function test_port_without_cable()
  collect()
  local lan2 = { device = "lan2" }
  assert_eq(metric("node_network_up", lan2), 0)
  assert_eq(metric("node_network_carrier", lan2), 0)
  assert_eq(metric("node_network_carrier_changes_total", lan2), 7)
end

function test_unknown_speed_left_out()
  collect()
  assert_eq(metric("node_network_speed_bytes", { device = "br-lan" }), nil)
  assert_eq(metric("node_network_up", { device = "br-lan" }), 1)
end

function test_changes_counted_once()
  collect()
  collect()
  assert_eq(metric("node_network_carrier_changes_total", { device = "lan2" }), 7)
end
