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

-- keep_only runs collect() with board.netdev() listing only the named
-- device (or failing with nothing when name is nil).
local function keep_only(name)
  local netdev = board.netdev
  board.netdev = function()
    if name == nil then
      return {}, "board.netdev: open /proc/net/dev: permission denied"
    end
    local out = {}
    for _, d in ipairs(netdev()) do
      if d.name == name then out[#out + 1] = d end
    end
    return out
  end
  local ok, err = pcall(collect)
  board.netdev = netdev
  if not ok then error(err, 0) end
end

function test_gone_interface_takes_its_series()
  collect()
  keep_only("wan")
  assert_eq(metric("node_network_receive_bytes_total", { device = "wan" }), 86944211334)
  assert_eq(metric("node_network_receive_bytes_total", { device = "br-lan" }), nil)
  assert_eq(metric("node_network_transmit_drop_total", { device = "phy0-ap0" }), nil)
  collect() -- back again: counted afresh from the kernel's figure
  assert_eq(metric("node_network_transmit_bytes_total", { device = "br-lan" }), 46532099871)
end

function test_failed_read_keeps_series()
  collect()
  keep_only(nil)
  assert_eq(metric("node_network_transmit_bytes_total", { device = "br-lan" }), 46532099871)
end

-- A first collect stopped part-way (a limit) right after a host call
-- succeeded: the next collect adds no counter a second time.
function test_stopped_collect_adds_nothing_twice()
  local add, n = metrics.add, 0
  metrics.add = function(name, d, l)
    add(name, d, l)
    if l.device == "wan" then
      n = n + 1
      if n == 2 or n == 3 then error("stopped", 0) end
    end
  end
  pcall(collect)
  pcall(collect)
  metrics.add = add
  collect()
  local wan = { device = "wan" }
  assert_eq(metric("node_network_receive_bytes_total", wan), 86944211334)
  assert_eq(metric("node_network_receive_drop_total", wan), 112)
end
