-- Tests for thermal against its own fixture (testdata/: a Filogic SoC's
-- cpu-thermal zone at 47.25 degrees).

function test_zone_temperature()
  collect()
  assert_eq(metric("node_thermal_zone_temp", { type = "cpu-thermal", zone = "0" }), 47.25)
end
