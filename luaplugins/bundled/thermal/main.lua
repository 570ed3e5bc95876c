-- thermal: node_thermal_zone_temp{type,zone} in degrees Celsius, zone being
-- the number of /sys/class/thermal/thermal_zoneN.

-- labels[zone directory] holds the labels of the last run's zones (false
-- for a directory without a zone number), so a run makes none while the
-- zones stay the same: the host copies labels, one table serves every run.
local labels = {}

function collect()
  local seen = {}
  for _, z in ipairs(board.thermal()) do
    local l = labels[z.zone]
    if l == nil or (l and l.type ~= z.type) then
      local n = z.zone:match("^thermal_zone(%d+)$")
      l = n ~= nil and { type = z.type, zone = n }
    end
    seen[z.zone] = l
    if l then
      metrics.set("node_thermal_zone_temp", z.celsius, l)
    end
  end
  labels = seen
end
