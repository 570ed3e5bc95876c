-- Tests for stat against its own fixture (testdata/: the MT7621's
-- /proc/stat, as in board/testdata).

function test_boot_time_and_tasks()
  collect()
  assert_eq(metric("node_boot_time_seconds"), 1713770000)
  assert_eq(metric("node_procs_running"), 1)
  assert_eq(metric("node_procs_blocked"), 0)
end

function test_counters_equal_the_kernel_s()
  collect()
  collect()
  assert_eq(metric("node_context_switches_total"), 512877203)
  assert_eq(metric("node_forks_total"), 61288)
  assert_eq(metric("node_intr_total"), 98812301)
end

function test_no_proc_stat_gives_no_series()
  local real, set, add, writes = board.stat, metrics.set, metrics.add, 0
  board.stat = function() return {}, "board.stat: board: /proc/stat: file does not exist" end
  metrics.set = function(...) writes = writes + 1 return set(...) end
  metrics.add = function(...) writes = writes + 1 return add(...) end
  local ok, err = pcall(collect)
  board.stat, metrics.set, metrics.add = real, set, add
  if not ok then error(err, 0) end
  assert_eq(writes, 0)
end
