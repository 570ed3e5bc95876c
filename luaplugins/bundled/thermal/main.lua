-- thermal: node_thermal_zone_temp{type,zone} in degrees Celsius, zone being
-- the number of /sys/class/thermal/thermal_zoneN.

-- labels[zone directory] holds the labels of the zones now listed (false
-- for a directory without a zone number), so a run makes none while the
-- zones stay the same: the host copies labels, one table serves every run.
-- A zone that goes, or whose type changes, takes its series with it; a
-- failed read removes nothing.
local labels = {}

function collect()
  local zones, why = board.thermal()
  if why ~= nil and #zones == 0 then
    return
  end
  local seen = {}
  for i = 1, #zones do
    local z = zones[i]
    local l = labels[z.zone]
    if l == nil or (l and l.type ~= z.type) then
      if l then
        metrics.delete("node_thermal_zone_temp", l)
      end
      local n = z.zone:match("^thermal_zone(%d+)$")
      l = n ~= nil and { type = z.type, zone = n }
      labels[z.zone] = l
    end
    seen[z.zone] = true
    if l then
      metrics.set("node_thermal_zone_temp", z.celsius, l)
    end
  end
  for zone, l in pairs(labels) do
    if not seen[zone] then
      if l then
        metrics.delete("node_thermal_zone_temp", l)
      end
      labels[zone] = nil
    end
  end
end
