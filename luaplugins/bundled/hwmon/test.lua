-- Tests for hwmon against the built-in fixture (the MT7615 radio's sensor).

function test_radio_temperature()
  collect()
  assert_eq(metric("node_hwmon_temp_celsius", { chip = "hwmon0", sensor = "temp1" }), 52)
  assert_eq(metric("node_hwmon_chip_names", { chip = "hwmon0", chip_name = "mt7615_phy1" }), 1)
end

-- with_chips runs collect() with board.hwmon() returning f's result.
local function with_chips(f)
  local hwmon = board.hwmon
  board.hwmon = function() return f(hwmon()) end
  local ok, err = pcall(collect)
  board.hwmon = hwmon
  if not ok then error(err, 0) end
end

function test_gone_chip_takes_its_series()
  collect()
  with_chips(function() return {} end)
  assert_eq(metric("node_hwmon_temp_celsius", { chip = "hwmon0", sensor = "temp1" }), nil)
  assert_eq(metric("node_hwmon_chip_names", { chip = "hwmon0", chip_name = "mt7615_phy1" }), nil)
  collect()
  assert_eq(metric("node_hwmon_chip_names", { chip = "hwmon0", chip_name = "mt7615_phy1" }), 1)
end

function test_renamed_chip_drops_its_old_name()
  collect()
  with_chips(function(all)
    all[1].name = "mt7615_phy0"
    return all
  end)
  assert_eq(metric("node_hwmon_chip_names", { chip = "hwmon0", chip_name = "mt7615_phy1" }), nil)
  assert_eq(metric("node_hwmon_chip_names", { chip = "hwmon0", chip_name = "mt7615_phy0" }), 1)
end

function test_failed_read_keeps_series()
  collect()
  with_chips(function() return {}, "board.hwmon: open /sys/class/hwmon: permission denied" end)
  assert_eq(metric("node_hwmon_temp_celsius", { chip = "hwmon0", sensor = "temp1" }), 52)
end
