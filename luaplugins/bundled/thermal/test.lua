-- Tests for thermal against its own fixture (testdata/: a Filogic SoC's
-- cpu-thermal zone at 47.25 degrees).

function test_zone_temperature()
  collect()
  assert_eq(metric("node_thermal_zone_temp", { type = "cpu-thermal", zone = "0" }), 47.25)
end

function test_gone_zone_takes_its_series()
  collect()
  local thermal = board.thermal
  board.thermal = function() return {} end
  local ok, err = pcall(collect)
  board.thermal = thermal
  if not ok then error(err, 0) end
  assert_eq(metric("node_thermal_zone_temp", { type = "cpu-thermal", zone = "0" }), nil)
end

function test_failed_read_keeps_series()
  collect()
  local thermal = board.thermal
  board.thermal = function() return {}, "board.thermal: open /sys/class/thermal: permission denied" end
  local ok, err = pcall(collect)
  board.thermal = thermal
  if not ok then error(err, 0) end
  assert_eq(metric("node_thermal_zone_temp", { type = "cpu-thermal", zone = "0" }), 47.25)
end
