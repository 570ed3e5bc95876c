-- expect: stack overflow|call depth limit exceeded|memory limit exceeded
local function f(n) return 1 + f(n + 1) end
f(1)
