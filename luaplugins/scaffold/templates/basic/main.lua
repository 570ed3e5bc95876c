-- {{.Name}}: the smallest useful plugin. It counts its own runs in a
-- counter and writes one log line each time.
--
-- The top-level chunk runs once when the agent loads the plugin; collect()
-- runs every interval. Keep helpers local: globals other than collect are
-- reported by `heimnetz plugin check`.

local runs = 0

local function message(n)
  return "{{.Name}} ran " .. n .. " times"
end

function collect()
  runs = runs + 1
  metrics.add("{{.Metric}}_runs_total", 1)
  log.info(message(runs))
end
