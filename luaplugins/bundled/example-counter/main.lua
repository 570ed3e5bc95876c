-- example-counter: the smallest plugin that keeps state.
--
-- Every run reads the count from kv, adds one and stores it again. kv.set
-- returns only once the value would survive a crash of the agent, so the
-- count goes on across restarts.

local started = tonumber(kv.get("runs") or "0")
log.info("starting at " .. started .. " runs")

function collect()
  local runs = tonumber(kv.get("runs") or "0") + 1
  kv.set("runs", tostring(runs))
  metrics.set("example_plugin_runs", runs)
end
