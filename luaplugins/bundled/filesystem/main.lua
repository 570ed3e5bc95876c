-- filesystem: size and use of every mounted filesystem that holds data,
-- with node_exporter's names and labels {device, fstype, mountpoint}.
-- Unlike node_exporter's defaults, overlay and squashfs are kept: on
-- OpenWrt they are the flash the owner watches (/overlay, /rom).
-- A mount whose statfs failed is left out by the host; the reason is not
-- a series here, so node_filesystem_device_error is always 0.

local gauges = {
  { "size", "node_filesystem_size_bytes" },
  { "free", "node_filesystem_free_bytes" },
  { "avail", "node_filesystem_avail_bytes" },
  { "files", "node_filesystem_files" },
  { "files_free", "node_filesystem_files_free" },
}

-- label_cache[mountpoint] = its labels, made again only when the device
-- or type mounted there changes: the host copies labels, so one table
-- serves every run.
local label_cache = {}

function collect()
  for _, fs in ipairs(board.filesystems()) do
    local labels = label_cache[fs.mountpoint]
    if labels == nil or labels.device ~= fs.device or labels.fstype ~= fs.fstype then
      labels = { device = fs.device, fstype = fs.fstype, mountpoint = fs.mountpoint }
      label_cache[fs.mountpoint] = labels
    end
    for _, g in ipairs(gauges) do
      metrics.set(g[2], fs[g[1]], labels)
    end
    metrics.set("node_filesystem_readonly", fs.readonly and 1 or 0, labels)
    metrics.set("node_filesystem_device_error", 0, labels)
  end
end
