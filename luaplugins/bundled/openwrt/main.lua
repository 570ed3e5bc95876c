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

-- system_name is system() of the first complete /proc/cpuinfo: the kernel
-- fixes the processor's names at boot, so one reading serves every run.
local system_name = nil

-- made holds the labels of the last run and the values they were made
-- from. The release and the board seldom change, so most runs pass the
-- same two tables again (the host copies labels) instead of making them
-- and passing every value through metrics.label anew.
local made = nil

local function same(m, rel, board_id, model, sys)
  return m ~= nil and m.id == rel.id and m.release == rel.release and m.revision == rel.revision
    and m.target == rel.target and m.board_id == board_id and m.model == model and m.system == sys
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
  local sys = system_name
  if sys == nil then
    local cpu, cpu_why = board.cpuinfo()
    sys = system(cpu)
    if cpu_why == nil then
      system_name = sys
    end
  end
  if not same(made, rel, dev.board_id, model, sys) then
    made = {
      id = rel.id, release = rel.release, revision = rel.revision, target = rel.target,
      board_id = dev.board_id, model = model, system = sys,
      openwrt = labels({
        board_name = dev.board_id or "",
        id = rel.id,
        model = model or "",
        release = rel.release or "",
        revision = rel.revision or "",
        system = sys,
        target = rel.target or "",
      }),
      os = labels({
        build_id = rel.revision or "",
        id = rel.id:lower(),
        name = rel.id,
        pretty_name = rel.id .. " " .. (rel.release or ""),
        version = rel.release or "",
        version_id = rel.release or "",
      }),
    }
  end
  metrics.set("node_openwrt_info", 1, made.openwrt)
  metrics.set("node_os_info", 1, made.os)
end
