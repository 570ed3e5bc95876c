-- openwrt: prometheus-node-exporter-lua's openwrt collector,
-- node_openwrt_info{board_name,id,model,release,revision,system,target} 1
-- and node_os_info{build_id,id,name,pretty_name,version,version_id} 1,
-- with the values ubus's system board call gives it. Outside OpenWrt
-- (no /etc/openwrt_release) there are no series.

-- system is what procd's system board call reports: MIPS's "system type",
-- else the processor's model name. On aarch64 procd says "ARMv8 Processor
-- rev N" from the CPU revision, which the board does not read; the rev is
-- left out there.
local function system(cpu)
  if cpu.system_type ~= nil then
    return cpu.system_type
  end
  if cpu.architecture == "8" or cpu.architecture == "AArch64" then
    return "ARMv8 Processor"
  end
  return cpu.model_name or ""
end

-- labels passes every value through metrics.label: they come from files
-- the device's firmware writes, not from this plugin.
local function labels(t)
  for k, v in pairs(t) do
    t[k] = metrics.label(v)
  end
  return t
end

function collect()
  local rel, why = board.openwrt_release()
  if why ~= nil or rel.id == nil then
    return
  end
  local dev = board.device()
  local model = dev.model
  if model == "unknown" then
    model = ""
  end
  metrics.set("node_openwrt_info", 1, labels({
    board_name = dev.board_id or "",
    id = rel.id,
    model = model or "",
    release = rel.release or "",
    revision = rel.revision or "",
    system = system(board.cpuinfo()),
    target = rel.target or "",
  }))
  metrics.set("node_os_info", 1, labels({
    build_id = rel.revision or "",
    id = rel.id:lower(),
    name = rel.id,
    pretty_name = rel.id .. " " .. (rel.release or ""),
    version = rel.release or "",
    version_id = rel.release or "",
  }))
end
