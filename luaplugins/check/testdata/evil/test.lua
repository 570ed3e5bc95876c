function test_nothing()
  assert_true(true)
end
