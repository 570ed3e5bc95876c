-- time: node_time_seconds and node_time_zone_offset_seconds{time_zone}.

function collect()
  local t = board.time()
  metrics.set("node_time_seconds", t.seconds)
  metrics.set("node_time_zone_offset_seconds", t.offset_seconds, { time_zone = t.zone })
end
