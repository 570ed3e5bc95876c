-- expect: call depth limit exceeded|stack overflow
local function f() pcall(f) ; pcall(f) end
f()
error("pcall recursion was swallowed")
