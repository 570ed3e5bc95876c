-- A browser test fixture: installed through the Settings page's form.
function collect()
  metrics.add("hello_runs_total", 1)
end
