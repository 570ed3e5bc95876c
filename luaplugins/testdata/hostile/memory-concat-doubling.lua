-- expect: memory limit exceeded \(8 MiB\)
local s = "x"
while true do s = s .. s end
