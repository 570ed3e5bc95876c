-- expect: instruction limit exceeded \(3000000\)
local n = 0
while true do
  local ok, err = pcall(function() for i = 1, 1e9 do n = n + i end end)
  n = 0
end
