-- expect: call depth limit exceeded \(64\)
local function f()
  local co = coroutine.create(f)
  local ok, err = coroutine.resume(co)
  if not ok then error(err, 0) end
end
f()
