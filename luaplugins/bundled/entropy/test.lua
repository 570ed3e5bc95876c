-- Tests for entropy against the built-in fixture (a 5.15 kernel: 256 of 256 bits).

function test_available_and_pool()
  collect()
  assert_eq(metric("node_entropy_available_bits"), 256)
  assert_eq(metric("node_entropy_pool_size_bits"), 256)
end
