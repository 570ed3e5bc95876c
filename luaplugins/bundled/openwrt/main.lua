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

-- hw is the board name and model of the last complete board.device().
-- They come from /etc/board.json and /tmp/sysinfo, which OpenWrt writes
-- at boot; hw is read again only when the release changes (a firmware or
-- base-files upgrade) or a reading was incomplete.
local hw = nil

-- made holds the values the info series' labels were last made from.
-- The release and the board seldom change, so most runs make nothing: the
-- two info series, always 1, are set when their labels are made, and
-- their series stay.
local made = nil

local function same_release(m, rel)
  return m ~= nil and m.id == rel.id and m.release == rel.release and m.revision == rel.revision
    and m.target == rel.target
end

function collect()
  local rel, why = board.openwrt_release()
  if why ~= nil or rel.id == nil then
    return
  end
  if hw == nil or not same_release(made, rel) then
    local dev, dev_why = board.device()
    local model = dev.model
    if model == "unknown" then
      model = ""
    end
    hw = { board_id = dev.board_id, model = model, complete = dev_why == nil }
  end
  local sys = system_name
  if sys == nil then
    local cpu, cpu_why = board.cpuinfo()
    sys = system(cpu)
    if cpu_why == nil then
      system_name = sys
    end
  end
  if not (same_release(made, rel) and made.board_id == hw.board_id and made.model == hw.model and made.system == sys) then
    metrics.set("node_openwrt_info", 1, labels({
      board_name = hw.board_id or "",
      id = rel.id,
      model = hw.model or "",
      release = rel.release or "",
      revision = rel.revision or "",
      system = sys,
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
    made = {
      id = rel.id, release = rel.release, revision = rel.revision, target = rel.target,
      board_id = hw.board_id, model = hw.model, system = sys,
    }
  end
  if not hw.complete then
    hw = nil
  end
end
