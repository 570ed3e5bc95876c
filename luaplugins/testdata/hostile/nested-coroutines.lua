-- expect: instruction limit exceeded \(3000000\)
local function spin(d)
  if d == 0 then while true do end end
  local co = coroutine.create(function() spin(d - 1) end)
  print(coroutine.resume(co))
end
spin(50)
