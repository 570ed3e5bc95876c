-- thermal: node_thermal_zone_temp{type,zone} in degrees Celsius, zone being
-- the number of /sys/class/thermal/thermal_zoneN.

function collect()
  for _, z in ipairs(board.thermal()) do
    local n = z.zone:match("^thermal_zone(%d+)$")
    if n ~= nil then
      metrics.set("node_thermal_zone_temp", z.celsius, { type = z.type, zone = n })
    end
  end
end
