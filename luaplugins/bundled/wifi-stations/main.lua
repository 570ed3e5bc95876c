-- wifi-stations: prometheus-node-exporter-lua's wifi_stations collector.
--
--   wifi_stations{ifname}                   stations associated with each
--                                           wireless interface (0 for none)
-- and per station, labelled {ifname, mac}, with pne-lua's names and rules
-- (a signal, throughput or bitrate of 0 is left out, as it is unknown):
--   wifi_station_signal_dbm
--   wifi_station_inactive_milliseconds
--   wifi_station_expected_throughput_kilobits_per_second
--   wifi_station_transmit_kilobits_per_second, _receive_
--   wifi_station_transmit_packets_total, _receive_
--   wifi_station_transmit_bytes_total, _receive_     (from the router's side:
--                                                    transmit = to the station)
--
-- mac is what the clients module gives: a keyed hash ("h:…") unless the
-- owner exposes client identity; where the agent has neither key nor
-- exposure there is no mac, and only the counts are exported. A station
-- that leaves has its series deleted, so they neither linger nor fill the
-- series limit; at most max_stations stations get series (9 each, about
-- 590 bytes a series of the plugin's 256,000-byte metric budget).

local max_stations = 40

local gauges = {
  { "signal_dbm", "wifi_station_signal_dbm", true },
  { "inactive_ms", "wifi_station_inactive_milliseconds", false },
  { "expected_throughput_kbps", "wifi_station_expected_throughput_kilobits_per_second", true },
  { "tx_bitrate_kbps", "wifi_station_transmit_kilobits_per_second", true },
  { "rx_bitrate_kbps", "wifi_station_receive_kilobits_per_second", true },
}
local counters = {
  { "tx_packets", "wifi_station_transmit_packets_total" },
  { "rx_packets", "wifi_station_receive_packets_total" },
  { "tx_bytes", "wifi_station_transmit_bytes_total" },
  { "rx_bytes", "wifi_station_receive_bytes_total" },
}

-- known[ifname][mac] = { labels = ..., last = { field = value },
-- [gauge name] = true }: a station's labels, its counters' last readings
-- and the gauges it has no series of, so a gauge the driver does not give
-- (0 or nil) is deleted once, not every round.
local known = {}
local counted = {}     -- ifname → true, interfaces with a wifi_stations series
local if_labels = {}   -- ifname → { ifname = ... }, kept while the interface has a series
local warned = false

-- forget deletes the series of the station mac in on_if, an interface's
-- table in known, and drops its entry.
local function forget(on_if, mac)
  local k = on_if[mac]
  for _, g in ipairs(gauges) do
    metrics.delete(g[2], k.labels)
  end
  for _, c in ipairs(counters) do
    metrics.delete(c[2], k.labels)
  end
  on_if[mac] = nil
end

-- add_after_record: a counter's new reading is recorded before the
-- metrics.add that passes its difference on. A call stopped by a limit
-- between the two then misses one difference next round, where the
-- other order would add it twice (a first reading twice is a spike of
-- its whole value in rate()).

function collect()
  local stations, why = clients.wifi_stations()
  local count = {}
  if why == nil or #stations > 0 then
    -- Interfaces without stations count 0; when the stations cannot be
    -- read at all, nothing is counted (and earlier counts go below).
    for _, w in ipairs(board.wifi_interfaces()) do
      count[w.name] = 0
    end
  end
  local seen, n = {}, 0 -- seen[k] for each station's entry in known
  -- Numeric for loops below: a step of ipairs is a host call.
  for i = 1, #stations do
    local st = stations[i]
    count[st.interface] = (count[st.interface] or 0) + 1
    if st.mac ~= nil then
      local on_if = known[st.interface]
      local k = on_if and on_if[st.mac]
      if k == nil and n >= max_stations then
        if not warned then
          log.warn("more than " .. max_stations .. " stations; the rest are only counted")
          warned = true
        end
      else
        n = n + 1
        if k == nil then
          k = { labels = { ifname = st.interface, mac = st.mac }, last = {} }
          if on_if == nil then
            on_if = {}
            known[st.interface] = on_if
          end
          on_if[st.mac] = k
        end
        seen[k] = true
        for j = 1, #gauges do
          local g = gauges[j]
          local v = st[g[1]]
          if v ~= nil and not (g[3] and v == 0) then
            metrics.set(g[2], v, k.labels)
            k[g[2]] = nil
          elseif not k[g[2]] then
            metrics.delete(g[2], k.labels)
            k[g[2]] = true
          end
        end
        for j = 1, #counters do
          local c = counters[j]
          local now, before = st[c[1]] or 0, k.last[c[1]]
          local delta = now
          if before ~= nil and now >= before then
            delta = now - before
          end
          k.last[c[1]] = now -- first: see add_after_record
          metrics.add(c[2], delta, k.labels)
        end
      end
    end
  end
  for ifname, on_if in pairs(known) do
    for mac, k in pairs(on_if) do
      if not seen[k] then
        forget(on_if, mac)
      end
    end
    if next(on_if) == nil then
      known[ifname] = nil
    end
  end
  for ifname, c in pairs(count) do
    local l = if_labels[ifname]
    if l == nil then
      l = { ifname = ifname }
      if_labels[ifname] = l
    end
    metrics.set("wifi_stations", c, l)
  end
  for ifname in pairs(counted) do
    if count[ifname] == nil then
      metrics.delete("wifi_stations", if_labels[ifname] or { ifname = ifname })
      if_labels[ifname] = nil
    end
  end
  counted = count
end
