-- Tests for {{.Name}}. Every global function named test_* is one test; they
-- run in source order in the same Lua state as main.lua, under the same
-- limits. Assertions: assert_eq, assert_true, assert_false, assert_match,
-- assert_error, fail; metric(name [, labels]) reads back a series.

function test_counts_runs()
  collect()
  collect()
  assert_eq(metric("{{.Metric}}_runs_total"), 2, "two runs counted")
end

function test_collect_does_not_fail()
  assert_true(pcall(collect), "collect raises no error")
end
