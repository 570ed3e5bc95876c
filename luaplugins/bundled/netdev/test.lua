-- Tests for netdev against the built-in fixture (an MT7621 with DSA ports).

function test_counters_per_device()
  collect()
  assert_eq(metric("node_network_receive_bytes_total", { device = "wan" }), 86944211334)
  assert_eq(metric("node_network_receive_drop_total", { device = "wan" }), 112)
  assert_eq(metric("node_network_transmit_bytes_total", { device = "br-lan" }), 46532099871)
  assert_eq(metric("node_network_transmit_drop_total", { device = "phy0-ap0" }), 14)
  assert_eq(metric("node_network_receive_multicast_total", { device = "lan1" }), 10211)
end

function test_loopback_left_out()
  collect()
  assert_eq(metric("node_network_receive_bytes_total", { device = "lo" }), nil)
end

function test_unchanged_counters_add_nothing()
  collect()
  collect()
  assert_eq(metric("node_network_transmit_packets_total", { device = "wan" }), 8988112)
end
