-- Tests for loadavg against the built-in fixture.

function test_three_windows()
  collect()
  local load = board.loadavg()
  assert_eq(metric("node_load1"), load.load1)
  assert_eq(metric("node_load5"), load.load5)
  assert_eq(metric("node_load15"), load.load15)
end
