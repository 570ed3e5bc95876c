-- Tests for time: the clock is the host's, so only its shape is checked.

function test_clock_and_zone()
  collect()
  local t = board.time()
  assert_true(metric("node_time_seconds") > 1700000000, "after November 2023")
  assert_eq(metric("node_time_zone_offset_seconds", { time_zone = t.zone }), t.offset_seconds)
end

function test_no_clock_reading_is_not_an_error()
  local real = board.time
  board.time = function() return {}, "read budget spent" end
  collect()
  board.time = real
  assert_eq(metric("node_time_seconds"), nil)
end
