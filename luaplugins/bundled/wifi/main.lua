-- wifi: every wireless interface with prometheus-node-exporter-lua's wifi
-- collector labels {ifname, ssid, bssid, mode, channel, frequency, device}:
--
--   wifi_network_noise_dbm      the channel's noise floor (nl80211 survey of
--                               the channel in use, as iwinfo reads it)
--   wifi_network_txpower_dbm    transmit power (heimnetz; pne-lua has none)
--   wifi_network_info           1 for every interface, also when the driver
--                               gives no noise figure
--
-- Where heimnetz differs from pne-lua: device is the phy ("phy0") rather
-- than the UCI radio ("radio0"), which the kernel does not know; country
-- is left out (regulatory domain, not read); wifi_network_signal_dbm,
-- _quality and _bitrate are left out: for an access point iwinfo averages
-- them over the associated stations, whose own figures are in the
-- wifi_stations plugin (wifi_station_signal_dbm, ...).

-- iwinfo's names for nl80211's interface types, as pne-lua labels them.
local modes = {
  ap = "Master", station = "Client", adhoc = "Ad-Hoc", monitor = "Monitor",
  ["ap vlan"] = "Master (VLAN)", wds = "WDS", ["mesh point"] = "Mesh Point",
  ["p2p client"] = "P2P Client", ["p2p go"] = "P2P Go",
}

local last = {} -- ifname → labels exported by the previous round

function collect()
  local seen = {}
  for _, w in ipairs(board.wifi_interfaces()) do
    local labels = {
      ifname = w.name,
      ssid = metrics.label(w.ssid or ""), -- an SSID is any 32 bytes
      bssid = (w.mac or ""):lower(),
      mode = modes[w.mode] or "Unknown",
      channel = w.channel or 0,
      frequency = w.frequency_mhz or 0,
      device = w.phy or "",
    }
    local before = last[w.name]
    if before ~= nil then
      -- A changed channel or SSID is a new series; drop the old one.
      local changed = false
      for k, v in pairs(labels) do
        if tostring(before[k]) ~= tostring(v) then
          metrics.delete("wifi_network_info", before)
          metrics.delete("wifi_network_noise_dbm", before)
          metrics.delete("wifi_network_txpower_dbm", before)
          changed = true
          break
        end
      end
      if not changed then
        labels = before -- the host copies labels; the same table serves again
      end
    end
    metrics.set("wifi_network_info", 1, labels)
    if w.noise_dbm ~= nil then
      metrics.set("wifi_network_noise_dbm", w.noise_dbm, labels)
    end
    if w.txpower_dbm ~= nil then
      metrics.set("wifi_network_txpower_dbm", w.txpower_dbm, labels)
    end
    seen[w.name] = labels
  end
  for name, labels in pairs(last) do
    if seen[name] == nil then
      metrics.delete("wifi_network_info", labels)
      metrics.delete("wifi_network_noise_dbm", labels)
      metrics.delete("wifi_network_txpower_dbm", labels)
    end
  end
  last = seen
end
