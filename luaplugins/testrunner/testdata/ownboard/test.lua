function test_own_fixture()
  assert_eq(board.loadavg().load1, 3.5)
end
