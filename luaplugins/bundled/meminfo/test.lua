-- Tests for meminfo against the built-in fixture (an MT7621 with 256 MB).

function test_names_and_bytes()
  collect()
  local mem = board.meminfo()
  assert_eq(metric("node_memory_MemTotal_bytes"), mem.mem_total)
  assert_eq(metric("node_memory_MemAvailable_bytes"), mem.mem_available)
  assert_eq(metric("node_memory_SwapFree_bytes"), mem.swap_free)
  assert_true(mem.mem_total > 100 * 1024 * 1024, "kB converted to bytes")
end

function test_parenthesised_fields()
  collect()
  assert_eq(metric("node_memory_Active_anon_bytes"), board.meminfo().fields["Active(anon)"])
  assert_eq(metric("node_memory_Active(anon)_bytes"), nil)
end
