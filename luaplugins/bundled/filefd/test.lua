-- Tests for filefd against the built-in fixture (file-nr "1088 0 25165").

function test_allocated_and_maximum()
  collect()
  assert_eq(metric("node_filefd_allocated"), 1088)
  assert_eq(metric("node_filefd_maximum"), 25165)
end
