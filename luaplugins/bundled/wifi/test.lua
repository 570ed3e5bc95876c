-- Tests for wifi against its own fixture (testdata/: the MT7621's
-- nl80211 interface dump and channel surveys, as in board/testdata: a
-- 2.4 GHz access point on channel 6 and a 5 GHz one on channel 36).

local ap5 = { ifname = "phy1-ap0", ssid = "Heimnetz", bssid = "00:00:5e:00:53:13", mode = "Master",
  channel = 36, frequency = 5180, device = "phy1" }

-- with(interfaces, fn) runs fn with board.wifi_interfaces answering
-- interfaces (and, when given, a reason) and returns the series written
-- and deleted as "set name" and "delete name" lines.
local function with(interfaces, why)
  local real, set, del, calls = board.wifi_interfaces, metrics.set, metrics.delete, {}
  board.wifi_interfaces = function() return interfaces, why end
  metrics.set = function(n, v, l) calls[#calls + 1] = "set " .. n return set(n, v, l) end
  metrics.delete = function(n, l) calls[#calls + 1] = "delete " .. n .. " " .. l.ifname .. " ch" .. l.channel return del(n, l) end
  local ok, err = pcall(collect)
  board.wifi_interfaces, metrics.set, metrics.delete = real, set, del
  if not ok then error(err, 0) end
  return calls
end

function test_noise_and_power()
  collect()
  assert_eq(metric("wifi_network_noise_dbm", ap5), -95)
  assert_eq(metric("wifi_network_txpower_dbm", ap5), 23)
  assert_eq(metric("wifi_network_info", ap5), 1)
  local ap24 = { ifname = "phy0-ap0", ssid = "Heimnetz", bssid = "00:00:5e:00:53:12", mode = "Master",
    channel = 6, frequency = 2437, device = "phy0" }
  assert_eq(metric("wifi_network_noise_dbm", ap24), -91)
  assert_eq(metric("wifi_network_txpower_dbm", ap24), 20)
end

function test_channel_change_replaces_the_series()
  collect()
  local moved = { { name = "phy1-ap0", phy = "phy1", mode = "ap", mac = "00:00:5e:00:53:13", ssid = "Heimnetz",
    frequency_mhz = 5500, channel = 100, txpower_dbm = 23 } }
  local calls = table.concat(with(moved), ",")
  assert_match(calls, "delete wifi_network_noise_dbm phy1%-ap0 ch36")
  assert_match(calls, "delete wifi_network_info phy0%-ap0 ch6") -- gone from the dump
  assert_match(calls, "set wifi_network_txpower_dbm")
  assert_eq(calls:find("set wifi_network_noise_dbm"), nil) -- no survey figure: no noise series
  assert_eq(metric("wifi_network_noise_dbm", ap5), nil)
  ap5.channel, ap5.frequency = 100, 5500
  assert_eq(metric("wifi_network_txpower_dbm", ap5), 23)
  ap5.channel, ap5.frequency = 36, 5180
end

function test_no_wifi_driver_gives_no_series()
  local calls = with({}, "board.wifi_interfaces: board: nl80211: no such family")
  for _, c in ipairs(calls) do
    assert_match(c, "^delete") -- only what an earlier test left
  end
  assert_eq(#with({}, "board.wifi_interfaces: board: nl80211: no such family"), 0)
end

function test_any_ssid_is_a_label()
  local latin1 = { { name = "phy0-ap0", phy = "phy0", mode = "ap", mac = "00:00:5e:00:53:12", ssid = "Caf\233",
    frequency_mhz = 2437, channel = 6, noise_dbm = -90 } }
  with(latin1)
  assert_eq(metric("wifi_network_noise_dbm", { ifname = "phy0-ap0", ssid = "Caf\239\191\189", bssid = "00:00:5e:00:53:12",
    mode = "Master", channel = 6, frequency = 2437, device = "phy0" }), -90)
end
