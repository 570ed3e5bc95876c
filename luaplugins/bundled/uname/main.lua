-- uname: node_uname_info{sysname,release,version,machine,nodename,domainname} 1.

function collect()
  local u, why = board.uname()
  if why ~= nil then
    return
  end
  metrics.set("node_uname_info", 1, {
    sysname = u.sysname, release = u.release, version = u.version,
    machine = u.machine, nodename = u.nodename, domainname = u.domainname,
  })
end
