-- expect: too many|memory limit exceeded|range|instruction limit exceeded|bad argument
print(select(-1e9, 1, 2))
