-- The tests share one kv store, in source order; the plugin is still
-- loaded afresh for each, as after a restart of the agent.
shared_kv = true

function test_first()
  collect()
  collect()
  assert_eq(kv.get("runs"), "2")
  kv.set("left", "here")
end

function test_second()
  assert_eq(kv.get("left"), "here")
  assert_eq(runs, 0)
  collect()
  assert_eq(kv.get("runs"), "3")
end
