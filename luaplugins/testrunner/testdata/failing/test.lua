function test_passes()
  collect()
  assert_eq(metric("failing_value", { kind = "answer" }), 42)
  assert_eq(kv.get("last"), "42")
end

function test_wrong_value()
  collect()
  assert_eq(metric("failing_value", { kind = "answer" }), 43, "the answer")
end

function test_raises()
  error("boom")
end

function test_spins()
  while true do end
end

function test_expects_error()
  assert_error(function() return 1 end)
end

function test_after_limit()
  collect()
  assert_true(kv.get("last") == "42")
end
