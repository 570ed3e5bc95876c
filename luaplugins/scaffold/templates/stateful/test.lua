-- Tests for {{.Name}}. Each test runs on a freshly loaded plugin with an
-- empty kv store of its own. To let the tests share one store, in source
-- order (as across restarts of the agent), add at the top of this file:
--   shared_kv = true

function test_counts_runs_in_kv()
  collect()
  assert_eq(kv.get("runs"), "1")
  collect()
  assert_eq(kv.get("runs"), "2")
  assert_eq(metric("{{.Metric}}_runs"), 2)
end

function test_keeps_peak_load()
  kv.set("peak_load", "99")
  collect()
  assert_eq(metric("{{.Metric}}_peak_load"), 99, "a higher stored peak is kept")
end

function test_kv_values_are_strings()
  assert_error(function() kv.set("t", {}) end, "string expected")
end
