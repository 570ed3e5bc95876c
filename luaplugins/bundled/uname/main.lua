-- uname: node_uname_info{sysname,release,version,machine,nodename,domainname} 1.

local fields = { "sysname", "release", "version", "machine", "nodename", "domainname" }
-- last holds the labels of the last run, reused while uname says the
-- same; the series, always 1, is set when they are made and then stays.
local last = nil

function collect()
  local u, why = board.uname()
  if why ~= nil then
    return
  end
  if last ~= nil then
    for _, f in ipairs(fields) do
      if last[f] ~= u[f] then
        last = nil
        break
      end
    end
  end
  if last == nil then
    local labels = {
      sysname = u.sysname, release = u.release, version = u.version,
      machine = u.machine, nodename = u.nodename, domainname = u.domainname,
    }
    metrics.set("node_uname_info", 1, labels)
    last = labels
  end
end
