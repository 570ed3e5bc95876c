-- filefd: node_filefd_allocated and node_filefd_maximum from /proc/sys/fs/file-nr.

function collect()
  local fd, why = board.filefd()
  if why ~= nil then
    return
  end
  metrics.set("node_filefd_allocated", fd.allocated)
  metrics.set("node_filefd_maximum", fd.maximum)
end
