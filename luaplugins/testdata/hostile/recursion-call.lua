-- expect: instruction limit exceeded|call depth limit exceeded|stack overflow
local mt = {}
mt.__call = function(self) return self() end
local a = setmetatable({}, mt)
a()
