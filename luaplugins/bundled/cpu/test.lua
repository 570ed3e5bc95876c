-- Tests for cpu against the built-in fixture (a four-core MT7621).

function test_every_cpu_and_mode()
  collect()
  assert_eq(metric("node_cpu_seconds_total", { cpu = "0", mode = "idle" }), 106312.01)
  assert_eq(metric("node_cpu_seconds_total", { cpu = "3", mode = "softirq" }), 152.99)
  assert_eq(metric("node_cpu_seconds_total", { cpu = "1", mode = "steal" }), 0)
  assert_eq(metric("node_cpu_seconds_total", { cpu = "4", mode = "idle" }), nil, "no fifth cpu")
end

function test_second_run_adds_nothing_for_unchanged_counters()
  collect()
  collect()
  assert_eq(metric("node_cpu_seconds_total", { cpu = "2", mode = "user" }), 699.81)
end

function test_guest_time()
  collect()
  assert_eq(metric("node_cpu_guest_seconds_total", { cpu = "0", mode = "user" }), 0)
  assert_eq(metric("node_cpu_guest_seconds_total", { cpu = "0", mode = "nice" }), 0)
end

-- A first collect stopped part-way (a limit) right after a host call
-- succeeded: the next collect adds no mode a second time.
function test_stopped_collect_adds_nothing_twice()
  local add, n = metrics.add, 0
  metrics.add = function(name, d, l)
    add(name, d, l)
    if l.cpu == "0" then
      n = n + 1
      if n == 5 then error("stopped", 0) end
    end
  end
  pcall(collect)
  metrics.add = add
  collect()
  assert_eq(metric("node_cpu_seconds_total", { cpu = "0", mode = "idle" }), 106312.01)
end
