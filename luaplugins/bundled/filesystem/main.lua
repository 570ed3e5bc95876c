-- filesystem: size and use of every mounted filesystem that holds data,
-- with node_exporter's names and labels {device, fstype, mountpoint}.
-- Unlike node_exporter's defaults, overlay and squashfs are kept: on
-- OpenWrt they are the flash the owner watches (/overlay, /rom).
-- A mount whose statfs failed is left out by the host; the reason is not
-- a series here, so node_filesystem_device_error is always 0.

-- Each gauge: the board.filesystems() field, the metric, and whether it
-- changes only with the filesystem itself (its size and inode count).
local gauges = {
  { "size", "node_filesystem_size_bytes", true },
  { "free", "node_filesystem_free_bytes", false },
  { "avail", "node_filesystem_avail_bytes", false },
  { "files", "node_filesystem_files", true },
  { "files_free", "node_filesystem_files_free", false },
}

-- known[mountpoint] holds the labels of what is mounted there, made again
-- only when the device or type mounted there changes (the host copies
-- labels, so one table serves every run), and the last values of the
-- series that change only with the filesystem itself: its size, inode
-- count and read-only flag, and device_error, always 0. Those are set
-- again only when they change; the free figures are set every run. A
-- mount that is gone (a USB disk unplugged) or now holds another device
-- or type takes its series with it, as in node_exporter, instead of
-- leaving them frozen; a failed read removes nothing.
local known = {}

-- Every series a mount has.
local series = {
  "node_filesystem_size_bytes", "node_filesystem_free_bytes",
  "node_filesystem_avail_bytes", "node_filesystem_files",
  "node_filesystem_files_free", "node_filesystem_readonly",
  "node_filesystem_device_error",
}

local function forget(k)
  for j = 1, #series do
    metrics.delete(series[j], k.labels)
  end
end

local round = 0

function collect()
  local mounts, why = board.filesystems()
  if why ~= nil and #mounts == 0 then
    return
  end
  round = round + 1
  for i = 1, #mounts do -- numeric for: a step of ipairs is a host call
    local fs = mounts[i]
    local k = known[fs.mountpoint]
    if k == nil or k.labels.device ~= fs.device or k.labels.fstype ~= fs.fstype then
      if k ~= nil then
        forget(k)
      end
      k = { labels = { device = fs.device, fstype = fs.fstype, mountpoint = fs.mountpoint } }
      known[fs.mountpoint] = k
    end
    -- known is changed in place, entry by entry, so a collect that ends
    -- part-way (a limit) leaves every series it made findable
    k.round = round
    for j = 1, #gauges do
      local g = gauges[j]
      local v = fs[g[1]]
      if not g[3] or k[g[2]] ~= v then
        metrics.set(g[2], v, k.labels)
        if g[3] then
          k[g[2]] = v
        end
      end
    end
    local readonly = fs.readonly and 1 or 0
    if k.readonly ~= readonly then
      metrics.set("node_filesystem_readonly", readonly, k.labels)
      k.readonly = readonly
    end
    if k.device_error == nil then
      metrics.set("node_filesystem_device_error", 0, k.labels)
      k.device_error = 0
    end
  end
  for mountpoint, k in pairs(known) do
    if k.round ~= round then -- not listed this round
      forget(k)
      known[mountpoint] = nil
    end
  end
end
