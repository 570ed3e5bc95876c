-- hwmon: node_exporter's hwmon series. The chip label is the hwmonN
-- directory's name here (node_exporter derives it from the device path,
-- e.g. platform_..., which the host does not read); node_hwmon_chip_names
-- ties it to the driver's name.

-- Label tables are kept across runs (the host copies labels, so one table
-- serves every run), keyed by what they hold; the cache starts afresh when
-- it grows past max_cached, so chips that come and go cannot grow it.
local max_cached = 256
local cache, cached = {}, 0

local function labels_of(key, make, a, b, c)
  local l = cache[key]
  if l == nil then
    if cached >= max_cached then
      cache, cached = {}, 0
    end
    l = make(a, b, c)
    cache[key] = l
    cached = cached + 1
  end
  return l
end

local function chip_labels(chip, name)
  return { chip = chip, chip_name = name }
end

local function sensor_labels(chip, sensor)
  return { chip = chip, sensor = sensor }
end

local function label_labels(chip, sensor, label)
  return { chip = chip, sensor = sensor, label = label }
end

function collect()
  for _, chip in ipairs(board.hwmon()) do
    local c = chip.chip
    if chip.name ~= "" then
      metrics.set("node_hwmon_chip_names", 1, labels_of("n " .. c .. " " .. chip.name, chip_labels, c, chip.name))
    end
    for _, t in ipairs(chip.temps) do
      local labels = labels_of("s " .. c .. " " .. t.sensor, sensor_labels, c, t.sensor)
      metrics.set("node_hwmon_temp_celsius", t.celsius, labels)
      if t.crit_celsius ~= nil then
        metrics.set("node_hwmon_temp_crit_celsius", t.crit_celsius, labels)
      end
      if t.label ~= nil then
        metrics.set("node_hwmon_sensor_label", 1,
          labels_of("l " .. c .. " " .. t.sensor .. " " .. t.label, label_labels, c, t.sensor, t.label))
      end
    end
    for _, f in ipairs(chip.fans) do
      metrics.set("node_hwmon_fan_rpm", f.rpm, labels_of("s " .. c .. " " .. f.sensor, sensor_labels, c, f.sensor))
    end
  end
end
