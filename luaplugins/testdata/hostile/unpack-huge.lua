-- expect: too many|memory limit exceeded|range|instruction limit exceeded
local t = {}
print(unpack(t, 1, 1e8))
