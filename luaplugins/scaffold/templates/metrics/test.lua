-- Tests for {{.Name}}, run by `heimnetz plugin test` against fixture board
-- data: the plugin's testdata/ directory when it has one (a tree with
-- proc/meminfo, proc/loadavg, ...), otherwise a recording of an OpenWrt
-- router built into heimnetz.

function test_memory_ratio()
  collect()
  local mem = board.meminfo()
  local want = (mem.mem_total - mem.mem_available) / mem.mem_total
  assert_eq(metric("{{.Metric}}_memory_used_ratio"), want)
  assert_true(want > 0 and want < 1, "a ratio between 0 and 1")
end

function test_load_per_window()
  collect()
  local load = board.loadavg()
  assert_eq(metric("{{.Metric}}_load", { minutes = "1" }), load.load1)
  assert_eq(metric("{{.Metric}}_load", { minutes = "15" }), load.load15)
end
