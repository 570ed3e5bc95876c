function test_x() end
