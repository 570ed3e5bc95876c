-- time: node_time_seconds and node_time_zone_offset_seconds{time_zone}.
-- A round without a clock reading (board.time() gives an empty table and
-- its reason, e.g. when the read budget is spent) exports nothing new and
-- does not fail: the series keep their last values.

local zone_labels = nil -- { time_zone = ... } of the last run, reused

function collect()
  local t = board.time()
  if t.seconds == nil then
    return
  end
  metrics.set("node_time_seconds", t.seconds)
  if t.offset_seconds ~= nil and t.zone ~= nil then
    if zone_labels == nil or zone_labels.time_zone ~= t.zone then
      zone_labels = { time_zone = t.zone }
    end
    metrics.set("node_time_zone_offset_seconds", t.offset_seconds, zone_labels)
  end
end
