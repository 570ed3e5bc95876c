-- netdev: the sixteen /proc/net/dev counters of every interface but lo, as
-- node_exporter's netdev collector names them:
-- node_network_{receive,transmit}_<counter>_total{device}.
--
-- The host's counters only go up by what is added, so the plugin keeps the
-- last reading and adds the difference; the first reading adds the whole
-- value. A counter that went down (the interface was re-created, or a
-- 32-bit counter wrapped) is added afresh from its new value. A counter
-- that was 0 and still is needs no call: its series exists at 0 already
-- (most error, fifo and compression counters of a router stay 0).

local counters = {
  { "rx_bytes", "node_network_receive_bytes_total" },
  { "rx_packets", "node_network_receive_packets_total" },
  { "rx_errs", "node_network_receive_errs_total" },
  { "rx_drop", "node_network_receive_drop_total" },
  { "rx_fifo", "node_network_receive_fifo_total" },
  { "rx_frame", "node_network_receive_frame_total" },
  { "rx_compressed", "node_network_receive_compressed_total" },
  { "rx_multicast", "node_network_receive_multicast_total" },
  { "tx_bytes", "node_network_transmit_bytes_total" },
  { "tx_packets", "node_network_transmit_packets_total" },
  { "tx_errs", "node_network_transmit_errs_total" },
  { "tx_drop", "node_network_transmit_drop_total" },
  { "tx_fifo", "node_network_transmit_fifo_total" },
  { "tx_colls", "node_network_transmit_colls_total" },
  { "tx_carrier", "node_network_transmit_carrier_total" },
  { "tx_compressed", "node_network_transmit_compressed_total" },
}

-- The same as two arrays, so the loop below reads a counter's name only
-- when it calls metrics.add.
local fields, names = {}, {}
for i, c in ipairs(counters) do
  fields[i], names[i] = c[1], c[2]
end

local last = {} -- last[device][field] = value
-- label_cache[device] = { device = device }, made once: the host copies
-- labels, so one table serves every run.
local label_cache = {}

-- seen[device] is the number of the last round that listed the device.
-- An interface that is gone (a USB modem unplugged, a VPN tunnel down)
-- takes its series with it, as in node_exporter, instead of leaving its
-- counters frozen; a failed read removes nothing.
local seen, round = {}, 0

-- The loops count with numeric for rather than ipairs: a step of ipairs
-- is a call of a host function, and this one runs 150 steps a round.
-- add_after_record: a counter's new reading is recorded before the
-- metrics.add that passes its difference on. A call stopped by a limit
-- between the two then misses one difference next round, where the
-- other order would add it twice (a first reading twice is a spike of
-- its whole value in rate()).

function collect()
  local devs, why = board.netdev()
  if why ~= nil and #devs == 0 then
    return
  end
  round = round + 1
  for i = 1, #devs do
    local dev = devs[i]
    seen[dev.name] = round
    if dev.name ~= "lo" then
      local prev = last[dev.name]
      if prev == nil then
        -- kept at once: a collect that ends part-way (a limit) must not
        -- add the whole value again next time
        prev = {}
        last[dev.name] = prev
      end
      local labels = label_cache[dev.name]
      if labels == nil then
        labels = { device = dev.name }
        label_cache[dev.name] = labels
      end
      for j = 1, #fields do
        local field = fields[j]
        local now, before = dev[field], prev[field]
        if now ~= 0 or before ~= 0 then
          local delta = now
          if before ~= nil and now >= before then
            delta = now - before
          end
          prev[field] = now -- first: see add_after_record
          metrics.add(names[j], delta, labels)
        end
      end
    end
  end
  for name, labels in pairs(label_cache) do
    if seen[name] ~= round then
      for j = 1, #names do
        metrics.delete(names[j], labels)
      end
      label_cache[name], last[name], seen[name] = nil, nil, nil
    end
  end
end
