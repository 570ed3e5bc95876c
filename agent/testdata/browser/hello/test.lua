function test_collect_counts()
  collect()
end
