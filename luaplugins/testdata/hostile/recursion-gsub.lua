-- expect: call depth limit exceeded|stack overflow|instruction limit exceeded
local function f(s) return (string.gsub("ab", ".", f)) end
f("x")
