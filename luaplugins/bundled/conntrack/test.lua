-- Tests for conntrack against the built-in fixture (187 of 16384 entries).

function test_entries_and_limit()
  collect()
  assert_eq(metric("node_nf_conntrack_entries"), 187)
  assert_eq(metric("node_nf_conntrack_entries_limit"), 16384)
end
