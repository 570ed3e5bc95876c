-- Tests for netstat against its own fixture (testdata/: /proc/net/netstat,
-- snmp and snmp6 of the MT7621 router, as in board/testdata).

-- collect_without runs collect() with board.netstat answering as the host
-- does when the files are missing, and returns how many series it wrote.
local function collect_without()
  local real, set, writes = board.netstat, metrics.set, 0
  board.netstat = function() return {}, "board.netstat: board: /proc/net/netstat: file does not exist" end
  metrics.set = function(...) writes = writes + 1 return set(...) end
  local ok, err = pcall(collect)
  board.netstat, metrics.set = real, set
  if not ok then error(err, 0) end
  return writes
end

function test_tcp()
  collect()
  assert_eq(metric("node_netstat_Tcp_CurrEstab"), 14)
  assert_eq(metric("node_netstat_Tcp_ActiveOpens"), 41233)
  assert_eq(metric("node_netstat_Tcp_InErrs"), 3)
  assert_eq(metric("node_netstat_TcpExt_TCPSynRetrans"), 1766)
  assert_eq(metric("node_netstat_TcpExt_ListenOverflows"), 0)
  assert_eq(metric("node_netstat_TcpExt_SyncookiesSent"), 0)
end

function test_ip_and_udp_both_families()
  collect()
  assert_eq(metric("node_netstat_Ip_Forwarding"), 1)
  assert_eq(metric("node_netstat_IpExt_InOctets"), 98812331221)
  assert_eq(metric("node_netstat_Ip6_InOctets"), 3410233122)
  assert_eq(metric("node_netstat_Icmp_InErrors"), 12)
  assert_eq(metric("node_netstat_Icmp6_OutMsgs"), 48122)
  assert_eq(metric("node_netstat_Udp_InDatagrams"), 1277311)
  assert_eq(metric("node_netstat_Udp6_NoPorts"), 3)
  assert_eq(metric("node_netstat_UdpLite6_InErrors"), 0)
end

function test_only_the_default_fields()
  collect()
  assert_eq(metric("node_netstat_Tcp_MaxConn"), nil)
  assert_eq(metric("node_netstat_TcpExt_TW"), nil)
  assert_eq(metric("node_netstat_IcmpMsg_InType3"), nil)
  assert_eq(metric("node_netstat_Ip_InReceives"), nil)
  assert_eq(metric("node_netstat_UdpLite_InDatagrams"), nil)
end

function test_missing_files_give_no_series()
  assert_eq(collect_without(), 0)
end
