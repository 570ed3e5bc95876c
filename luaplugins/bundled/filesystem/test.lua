-- Tests for filesystem against the built-in fixture (an MT7621 with
-- squashfs, an ubifs overlay and tmpfs; statfs figures recorded beside it).

local overlay = { device = "overlayfs:/overlay", fstype = "overlay", mountpoint = "/" }

function test_overlay_is_the_flash()
  collect()
  assert_eq(metric("node_filesystem_size_bytes", overlay), 110813184)
  assert_eq(metric("node_filesystem_avail_bytes", overlay), 97161216)
  assert_eq(metric("node_filesystem_readonly", overlay), 0)
end

function test_rom_is_read_only()
  collect()
  local rom = { device = "/dev/root", fstype = "squashfs", mountpoint = "/rom" }
  assert_eq(metric("node_filesystem_readonly", rom), 1)
  assert_eq(metric("node_filesystem_free_bytes", rom), 0)
end

function test_pseudo_filesystems_left_out()
  collect()
  assert_eq(metric("node_filesystem_size_bytes", { device = "proc", fstype = "proc", mountpoint = "/proc" }), nil)
end

-- with_mounts runs collect() with board.filesystems() replaced by f.
local function with_mounts(f)
  local filesystems = board.filesystems
  board.filesystems = function() return f(filesystems()) end
  local ok, err = pcall(collect)
  board.filesystems = filesystems
  if not ok then error(err, 0) end
end

-- without_rom leaves /rom out of a board.filesystems() result.
local function without_rom(all)
  local out = {}
  for _, fs in ipairs(all) do
    if fs.mountpoint ~= "/rom" then out[#out + 1] = fs end
  end
  return out
end

function test_unmounted_takes_its_series()
  collect()
  with_mounts(without_rom)
  local rom = { device = "/dev/root", fstype = "squashfs", mountpoint = "/rom" }
  assert_eq(metric("node_filesystem_readonly", rom), nil)
  assert_eq(metric("node_filesystem_size_bytes", rom), nil)
  assert_eq(metric("node_filesystem_size_bytes", overlay), 110813184)
end

function test_other_device_on_a_mountpoint()
  collect()
  with_mounts(function(all)
    for _, fs in ipairs(all) do
      if fs.mountpoint == "/rom" then fs.device = "/dev/sda1" end
    end
    return all
  end)
  assert_eq(metric("node_filesystem_readonly", { device = "/dev/root", fstype = "squashfs", mountpoint = "/rom" }), nil)
  assert_eq(metric("node_filesystem_readonly", { device = "/dev/sda1", fstype = "squashfs", mountpoint = "/rom" }), 1)
end

function test_failed_read_keeps_series()
  collect()
  with_mounts(function() return {}, "board.filesystems: open /proc/mounts: permission denied" end)
  assert_eq(metric("node_filesystem_size_bytes", overlay), 110813184)
end

-- A collect stopped part-way (a limit) after /rom's series were set, then
-- /rom unmounted: its series still go.
function test_stopped_collect_then_unmount()
  collect()
  local set, n = metrics.set, 0
  metrics.set = function(name, v, l)
    set(name, v, l)
    n = n + 1
    if l.mountpoint ~= "/rom" and n > 3 then error("stopped", 0) end
  end
  pcall(with_mounts, function(all)
    table.sort(all, function(a, b) return (a.mountpoint == "/rom" and 0 or 1) < (b.mountpoint == "/rom" and 0 or 1) end)
    return all
  end)
  metrics.set = set
  with_mounts(without_rom)
  assert_eq(metric("node_filesystem_size_bytes", { device = "/dev/root", fstype = "squashfs", mountpoint = "/rom" }), nil)
end
