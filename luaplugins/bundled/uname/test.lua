-- Tests for uname against the built-in fixture (OpenWrt 23.05 on a 5.15 kernel).

function test_info_labels()
  collect()
  local u = board.uname()
  assert_eq(u.release, "5.15.150")
  assert_eq(metric("node_uname_info", {
    sysname = "Linux", release = "5.15.150", version = u.version,
    machine = u.machine, nodename = "OpenWrt", domainname = "(none)",
  }), 1)
end
