-- counts its runs in kv and in a global
runs = 0

function collect()
  runs = runs + 1
  metrics.add("isolated_runs_total", 1)
  kv.set("runs", tostring(tonumber(kv.get("runs") or "0") + 1))
end
