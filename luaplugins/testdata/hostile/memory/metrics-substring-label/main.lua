-- expect: ok
-- rss: 60
-- time: 8s
-- args: --times 400
-- stdout: sub_label_value\{plugin="metrics-substring-label",id="00000400"\} 400
-- Each call makes a 2 MB string and uses an 8-byte substring of it as a
-- label value of a new series. Series are allowed (400 of 500), but the
-- agent must keep its own 8 bytes, not the 2 MB parent: 400 parents would
-- be 800 MB.
local n = 0
function collect()
  n = n + 1
  local big = string.format("%08d", n) .. string.rep("b", 2000000)
  metrics.set("sub_label_value", n, { id = big:sub(1, 8) })
end
