-- Tests for wan against its own fixture (testdata/: the MT7621's IPv4 and
-- IPv6 routing tables with default routes over "wan", its link state and
-- addresses, as in board/testdata).

-- with(wan, why) runs collect() with board.wan answering wan and why, and
-- returns the calls to metrics.set and metrics.delete as lines.
local function with(wan, why)
  local real, set, del, calls = board.wan, metrics.set, metrics.delete, {}
  board.wan = function() return wan, why end
  metrics.set = function(n, v, l) calls[#calls + 1] = "set " .. n .. " " .. l.family .. " " .. v return set(n, v, l) end
  metrics.delete = function(n, l) calls[#calls + 1] = "delete " .. n .. " " .. l.family return del(n, l) end
  local ok, err = pcall(collect)
  board.wan, metrics.set, metrics.delete = real, set, del
  if not ok then error(err, 0) end
  return table.concat(calls, ",")
end

function test_both_families_up()
  collect()
  assert_eq(metric("heimnetz_wan_up", { family = "ipv4" }), 1)
  assert_eq(metric("heimnetz_wan_up", { family = "ipv6" }), 1)
  assert_eq(metric("heimnetz_wan_info", { family = "ipv4", interface = "wan", gateway = "198.51.100.1" }), 1)
  assert_eq(metric("heimnetz_wan_info", { family = "ipv6", interface = "wan", gateway = "fe80::1" }), 1)
end

function test_uplink_lost()
  collect()
  local calls = with({ up = false, addresses = {} })
  assert_match(calls, "delete heimnetz_wan_info ipv4")
  assert_match(calls, "set heimnetz_wan_up ipv4 0")
  assert_match(calls, "set heimnetz_wan_up ipv6 0")
end

function test_link_down()
  collect()
  local calls = with({ interface = "wan", gateway = "198.51.100.1", up = false, operstate = "down", addresses = {} })
  assert_match(calls, "set heimnetz_wan_up ipv4 0")
  -- The route is still there: its info series stays, at 1.
  assert_eq(calls:find("delete heimnetz_wan_info ipv4"), nil)
  assert_eq(metric("heimnetz_wan_info", { family = "ipv4", interface = "wan", gateway = "198.51.100.1" }), 1)
end

function test_no_routing_table_gives_no_series()
  collect()
  local calls = with({ up = false, addresses = {} }, "board.wan: board: /proc/net/route: file does not exist")
  assert_eq(calls:find("set "), nil)
  assert_match(calls, "delete heimnetz_wan_up ipv6")
end
