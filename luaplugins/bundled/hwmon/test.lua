-- Tests for hwmon against the built-in fixture (the MT7615 radio's sensor).

function test_radio_temperature()
  collect()
  assert_eq(metric("node_hwmon_temp_celsius", { chip = "hwmon0", sensor = "temp1" }), 52)
  assert_eq(metric("node_hwmon_chip_names", { chip = "hwmon0", chip_name = "mt7615_phy1" }), 1)
end
