-- net: per-interface traffic counters.
--
-- /proc/net/dev holds counters since each interface appeared. Counters in
-- heimnetz only go up by the amount added, so this plugin remembers the last
-- reading and adds the difference; a counter that went down (the interface
-- was re-created, or a 32-bit counter wrapped) restarts from its new value.

local counters = {
  { field = "rx_bytes", name = "net_receive_bytes_total" },
  { field = "tx_bytes", name = "net_transmit_bytes_total" },
  { field = "rx_packets", name = "net_receive_packets_total" },
  { field = "tx_packets", name = "net_transmit_packets_total" },
  { field = "rx_errs", name = "net_receive_errors_total" },
  { field = "tx_errs", name = "net_transmit_errors_total" },
  { field = "rx_drop", name = "net_receive_drops_total" },
  { field = "tx_drop", name = "net_transmit_drops_total" },
}

local last = {} -- last[device][field] = value

function collect()
  local seen = 0
  for _, dev in ipairs(board.netdev()) do
    local prev = last[dev.name] or {}
    local labels = { device = dev.name }
    for _, c in ipairs(counters) do
      local now = dev[c.field]
      local before = prev[c.field]
      local delta = now
      if before ~= nil and now >= before then
        delta = now - before
      end
      metrics.add(c.name, delta, labels)
      prev[c.field] = now
    end
    last[dev.name] = prev
    seen = seen + 1
  end
  metrics.set("net_interfaces", seen)
end
