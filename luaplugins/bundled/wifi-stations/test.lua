-- Tests for wifi-stations against its own fixture (testdata/: the MT7621's
-- nl80211 interface and station dumps, as in board/testdata: two stations
-- on the 2.4 GHz access point, a laptop on the 5 GHz one).
--
-- What a station's mac label is depends on the agent's client identity
-- setting (exposed, a keyed hash, or nothing), so the tests take it from
-- clients.wifi_stations() as the plugin does; luaplugins' Go tests run the
-- plugin in each of the three settings with the exact labels.

-- station returns the labels of the fixture's station number i, or nil
-- when the agent gives no identity.
local function station(i)
  local st = clients.wifi_stations()[i]
  if st.mac == nil then
    return nil
  end
  return { ifname = st.interface, mac = st.mac }
end

function test_counts_per_interface()
  collect()
  assert_eq(metric("wifi_stations", { ifname = "phy0-ap0" }), 2)
  assert_eq(metric("wifi_stations", { ifname = "phy1-ap0" }), 1)
end

function test_laptop_on_5ghz()
  collect()
  local laptop = station(3)
  if laptop == nil then
    assert_eq(metric("wifi_station_signal_dbm", { ifname = "phy1-ap0" }), nil)
    return
  end
  assert_eq(metric("wifi_station_signal_dbm", laptop), -47)
  assert_eq(metric("wifi_station_inactive_milliseconds", laptop), 20)
  assert_eq(metric("wifi_station_expected_throughput_kilobits_per_second", laptop), 610000)
  assert_eq(metric("wifi_station_transmit_kilobits_per_second", laptop), 866700)
  assert_eq(metric("wifi_station_receive_kilobits_per_second", laptop), 780000)
  assert_eq(metric("wifi_station_transmit_bytes_total", laptop), 61220333121)
  assert_eq(metric("wifi_station_receive_packets_total", laptop), 4123311)
end

function test_counters_add_only_the_difference()
  collect()
  collect()
  local far = station(2)
  if far ~= nil then
    assert_eq(metric("wifi_station_receive_bytes_total", far), 2103344)
  end
end

function test_no_wifi_gives_no_series()
  local ifs, sts, set, writes = board.wifi_interfaces, clients.wifi_stations, metrics.set, {}
  board.wifi_interfaces = function() return {}, "board.wifi_interfaces: board: nl80211: no such family" end
  clients.wifi_stations = function() return {}, "clients.wifi_stations: board: nl80211: no such family" end
  metrics.set = function(n, v, l) writes[#writes + 1] = n return set(n, v, l) end
  local ok, err = pcall(collect)
  board.wifi_interfaces, clients.wifi_stations, metrics.set = ifs, sts, set
  if not ok then error(err, 0) end
  assert_eq(#writes, 0)
end

function test_stations_unreadable_leave_no_counts()
  collect()
  local real = clients.wifi_stations
  clients.wifi_stations = function() return {}, "clients.wifi_stations: board: nl80211: operation not permitted" end
  local ok, err = pcall(collect)
  clients.wifi_stations = real
  if not ok then error(err, 0) end
  assert_eq(metric("wifi_stations", { ifname = "phy0-ap0" }), nil)
  assert_eq(metric("wifi_stations", { ifname = "phy1-ap0" }), nil)
end
