-- hwmon: node_exporter's hwmon series. The chip label is the hwmonN
-- directory's name here (node_exporter derives it from the device path,
-- e.g. platform_..., which the host does not read); node_hwmon_chip_names
-- ties it to the driver's name.

-- chips[chip] keeps a chip's label tables across runs (the host copies
-- labels, so one table serves every run): name_labels for its name,
-- sensors[sensor] and labelled[sensor] for its sensors. The info series
-- (node_hwmon_chip_names and node_hwmon_sensor_label, always 1) are set
-- when their labels are made; their series stay, so that is enough. A
-- chip that goes takes its series with it, and a name or label that
-- changes takes its old info series (a failed read removes nothing), so
-- chips that come and go grow neither chips nor the series.
local chips = {}

local function sensor_labels(e, chip, sensor)
  local l = e.sensors[sensor]
  if l == nil then
    l = { chip = chip, sensor = sensor }
    e.sensors[sensor] = l
  end
  return l
end

-- forget deletes every series of chip entry e.
local function forget(e)
  if e.name_labels ~= nil then
    metrics.delete("node_hwmon_chip_names", e.name_labels)
  end
  for _, l in pairs(e.sensors) do
    metrics.delete("node_hwmon_temp_celsius", l)
    metrics.delete("node_hwmon_temp_crit_celsius", l)
    metrics.delete("node_hwmon_fan_rpm", l)
  end
  for _, l in pairs(e.labelled) do
    metrics.delete("node_hwmon_sensor_label", l)
  end
end

function collect()
  local list, why = board.hwmon()
  if why ~= nil and #list == 0 then
    return
  end
  local seen = {}
  for _, chip in ipairs(list) do
    local c = chip.chip
    local e = chips[c]
    if e == nil then
      e = { sensors = {}, labelled = {} }
      chips[c] = e
    end
    seen[c] = true
    if chip.name ~= "" and (e.name_labels == nil or e.name_labels.chip_name ~= chip.name) then
      if e.name_labels ~= nil then
        metrics.delete("node_hwmon_chip_names", e.name_labels)
      end
      e.name_labels = { chip = c, chip_name = chip.name }
      metrics.set("node_hwmon_chip_names", 1, e.name_labels)
    end
    for _, t in ipairs(chip.temps) do
      local labels = sensor_labels(e, c, t.sensor)
      metrics.set("node_hwmon_temp_celsius", t.celsius, labels)
      if t.crit_celsius ~= nil then
        metrics.set("node_hwmon_temp_crit_celsius", t.crit_celsius, labels)
      end
      if t.label ~= nil then
        local l = e.labelled[t.sensor]
        if l == nil or l.label ~= t.label then
          if l ~= nil then
            metrics.delete("node_hwmon_sensor_label", l)
          end
          l = { chip = c, sensor = t.sensor, label = t.label }
          e.labelled[t.sensor] = l
          metrics.set("node_hwmon_sensor_label", 1, l)
        end
      end
    end
    for _, f in ipairs(chip.fans) do
      metrics.set("node_hwmon_fan_rpm", f.rpm, sensor_labels(e, c, f.sensor))
    end
  end
  for c, e in pairs(chips) do
    if not seen[c] then
      forget(e)
      chips[c] = nil
    end
  end
end
