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

function test_gone_interface_takes_its_series()
  collect()
  local interfaces = board.interfaces
  board.interfaces = function(opts)
    local out = {}
    for _, ifc in ipairs(interfaces(opts)) do
      if ifc.name ~= "lan2" then out[#out + 1] = ifc end
    end
    return out
  end
  local ok, err = pcall(collect)
  board.interfaces = interfaces
  if not ok then error(err, 0) end
  local lan2 = { device = "lan2" }
  assert_eq(metric("node_network_up", lan2), nil)
  assert_eq(metric("node_network_carrier_changes_total", lan2), nil)
  assert_eq(metric("node_network_up", { device = "wan" }), 1)
end

function test_failed_read_keeps_series()
  collect()
  local interfaces = board.interfaces
  board.interfaces = function() return {}, "board.interfaces: netlink: permission denied" end
  local ok, err = pcall(collect)
  board.interfaces = interfaces
  if not ok then error(err, 0) end
  assert_eq(metric("node_network_mtu_bytes", { device = "lan2" }), 1500)
end
