-- hwmon: node_exporter's hwmon series. The chip label is the hwmonN
-- directory's name here (node_exporter derives it from the device path,
-- e.g. platform_..., which the host does not read); node_hwmon_chip_names
-- ties it to the driver's name.

function collect()
  for _, chip in ipairs(board.hwmon()) do
    if chip.name ~= "" then
      metrics.set("node_hwmon_chip_names", 1, { chip = chip.chip, chip_name = chip.name })
    end
    for _, t in ipairs(chip.temps) do
      local labels = { chip = chip.chip, sensor = t.sensor }
      metrics.set("node_hwmon_temp_celsius", t.celsius, labels)
      if t.crit_celsius ~= nil then
        metrics.set("node_hwmon_temp_crit_celsius", t.crit_celsius, labels)
      end
      if t.label ~= nil then
        metrics.set("node_hwmon_sensor_label", 1, { chip = chip.chip, sensor = t.sensor, label = t.label })
      end
    end
    for _, f in ipairs(chip.fans) do
      metrics.set("node_hwmon_fan_rpm", f.rpm, { chip = chip.chip, sensor = f.sensor })
    end
  end
end
