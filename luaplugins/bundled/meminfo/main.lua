-- meminfo: every /proc/meminfo field as a gauge with node_exporter's name:
-- node_memory_<Field>_bytes ("Active(anon)" becomes Active_anon), and
-- node_memory_HugePages_<x> without a unit for the page counts.

local function metric_name(field)
  local name = field:gsub("%((%w+)%)", "_%1")
  name = name:gsub("[^%w_]", "_")
  if field:find("^HugePages_") then
    return "node_memory_" .. name
  end
  return "node_memory_" .. name .. "_bytes"
end

local names = {} -- field -> metric name, computed once

function collect()
  local mem = board.meminfo()
  for field, value in pairs(mem.fields or {}) do
    local name = names[field]
    if name == nil then
      name = metric_name(field)
      names[field] = name
    end
    metrics.set(name, value)
  end
end
