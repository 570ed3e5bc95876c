-- expect: instruction limit exceeded \(3000000\)
while true do end
