-- Tests for openwrt against its own fixture (testdata/: the MT7621's
-- /etc/openwrt_release, board.json, /tmp/sysinfo and /proc/cpuinfo, as in
-- board/testdata). The labels are what ubus call system board says there.

function test_openwrt_info()
  collect()
  assert_eq(metric("node_openwrt_info", {
    board_name = "netgear,r6350", id = "OpenWrt", model = "Netgear R6350", release = "23.05.3",
    revision = "r23809-234f1a2efa", system = "MediaTek MT7621 ver:1 eco:3", target = "ramips/mt7621",
  }), 1)
end

function test_os_info()
  collect()
  assert_eq(metric("node_os_info", {
    build_id = "r23809-234f1a2efa", id = "openwrt", name = "OpenWrt", pretty_name = "OpenWrt 23.05.3",
    version = "23.05.3", version_id = "23.05.3",
  }), 1)
end

function test_not_openwrt_gives_no_series()
  local real, set, writes = board.openwrt_release, metrics.set, 0
  board.openwrt_release = function() return {}, "board.openwrt_release: board: /etc/openwrt_release: file does not exist" end
  metrics.set = function(...) writes = writes + 1 return set(...) end
  local ok, err = pcall(collect)
  board.openwrt_release, metrics.set = real, set
  if not ok then error(err, 0) end
  assert_eq(writes, 0)
end

function test_board_read_again_only_after_an_upgrade()
  local device, release, reads = board.device, board.openwrt_release, 0
  board.device = function() reads = reads + 1 return device() end
  local ok, err = pcall(function()
    collect()
    collect()
    board.openwrt_release = function()
      local r = release()
      r.release = "23.05.4"
      return r
    end
    collect()
  end)
  board.device, board.openwrt_release = device, release
  if not ok then error(err, 0) end
  assert_eq(reads, 2, "board.device read on the first run and after the release changed")
  assert_eq(metric("node_os_info", {
    build_id = "r23809-234f1a2efa", id = "openwrt", name = "OpenWrt", pretty_name = "OpenWrt 23.05.4",
    version = "23.05.4", version_id = "23.05.4",
  }), 1)
end
