-- filesystem: size and use of every mounted filesystem that holds data,
-- with node_exporter's names and labels {device, fstype, mountpoint}.
-- Unlike node_exporter's defaults, overlay and squashfs are kept: on
-- OpenWrt they are the flash the owner watches (/overlay, /rom).
-- A mount whose statfs failed is left out by the host; the reason is not
-- a series here, so node_filesystem_device_error is always 0.

-- known[mountpoint] holds the labels of what is mounted there, made again
-- only when the device or type mounted there changes (the host copies
-- labels, so one table serves every run), and the last values of the
-- series that change only with the filesystem itself: its size, inode
-- count and read-only flag, and device_error, always 0. Those are set
-- again only when they change; the free figures are set every run. A
-- mount that is gone leaves known (its series stay).
local known = {}

-- set_changed sets the gauge name of k's labels to v, unless k holds
-- that v was set already.
local function set_changed(k, name, v)
  if k[name] ~= v then
    metrics.set(name, v, k.labels)
    k[name] = v
  end
end

function collect()
  local seen = {}
  for _, fs in ipairs(board.filesystems()) do
    local k = known[fs.mountpoint]
    if k == nil or k.labels.device ~= fs.device or k.labels.fstype ~= fs.fstype then
      k = { labels = { device = fs.device, fstype = fs.fstype, mountpoint = fs.mountpoint } }
    end
    seen[fs.mountpoint] = k
    set_changed(k, "node_filesystem_size_bytes", fs.size)
    metrics.set("node_filesystem_free_bytes", fs.free, k.labels)
    metrics.set("node_filesystem_avail_bytes", fs.avail, k.labels)
    set_changed(k, "node_filesystem_files", fs.files)
    metrics.set("node_filesystem_files_free", fs.files_free, k.labels)
    set_changed(k, "node_filesystem_readonly", fs.readonly and 1 or 0)
    set_changed(k, "node_filesystem_device_error", 0)
  end
  known = seen
end
