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
