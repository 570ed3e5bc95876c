-- Each test starts with an empty kv store and a freshly loaded plugin.

function test_first()
  collect()
  collect()
  assert_eq(kv.get("runs"), "2")
  assert_eq(runs, 2)
  assert_eq(metric("isolated_runs_total"), 2)
  kv.set("left", "behind")
end

function test_second()
  assert_eq(kv.get("left"), nil, "a key from test_first")
  assert_eq(#kv.keys(), 0)
  assert_eq(runs, 0)
  assert_eq(metric("isolated_runs_total"), nil)
  collect()
  assert_eq(kv.get("runs"), "1")
end
