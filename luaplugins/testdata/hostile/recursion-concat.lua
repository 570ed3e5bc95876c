-- expect: call depth limit exceeded|stack overflow
local mt = {}
mt.__concat = function(a, b) return a .. b end
local a = setmetatable({}, mt)
print(a .. "x")
