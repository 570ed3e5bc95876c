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

-- last[ifname] is what the previous round exported for the interface:
-- its labels, the values they were made from, and the last transmit
-- power set. While those values stay the same (the usual round) the same
-- labels serve again (the host copies labels) and the info series, always
-- 1, and the transmit power, which changes only with the configuration,
-- are not set again.
local last = {}

local function labels_of(w)
  return {
    ifname = w.name,
    ssid = metrics.label(w.ssid or ""), -- an SSID is any 32 bytes
    bssid = (w.mac or ""):lower(),
    mode = modes[w.mode] or "Unknown",
    channel = w.channel or 0,
    frequency = w.frequency_mhz or 0,
    device = w.phy or "",
  }
end

local function made_from(e, w)
  return e.ssid == w.ssid and e.mac == w.mac and e.mode == w.mode and e.channel == w.channel
    and e.frequency == w.frequency_mhz and e.phy == w.phy
end

local function forget(labels)
  metrics.delete("wifi_network_info", labels)
  metrics.delete("wifi_network_noise_dbm", labels)
  metrics.delete("wifi_network_txpower_dbm", labels)
end

function collect()
  local seen = {}
  for _, w in ipairs(board.wifi_interfaces()) do
    local e = last[w.name]
    if e == nil or not made_from(e, w) then
      local labels = labels_of(w)
      if e ~= nil then
        -- A changed channel or SSID is a new series; drop the old one.
        for k, v in pairs(labels) do
          if tostring(e.labels[k]) ~= tostring(v) then
            forget(e.labels)
            e = nil
            break
          end
        end
      end
      if e == nil then
        e = { labels = labels }
        metrics.set("wifi_network_info", 1, labels)
      end
      -- Made from these values now (the labels, when equal, are kept).
      e.ssid, e.mac, e.mode, e.channel, e.frequency, e.phy = w.ssid, w.mac, w.mode, w.channel, w.frequency_mhz, w.phy
    end
    if w.noise_dbm ~= nil then
      metrics.set("wifi_network_noise_dbm", w.noise_dbm, e.labels)
    end
    if w.txpower_dbm ~= nil and e.txpower ~= w.txpower_dbm then
      metrics.set("wifi_network_txpower_dbm", w.txpower_dbm, e.labels)
      e.txpower = w.txpower_dbm
    end
    seen[w.name] = e
  end
  for _, e in pairs(last) do
    if seen[e.labels.ifname] == nil then
      forget(e.labels)
    end
  end
  last = seen
end
