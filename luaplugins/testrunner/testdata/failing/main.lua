-- a plugin whose tests fail in every way the runner reports
local function double(x)
  return x * 2
end

function collect()
  metrics.set("failing_value", double(21), { kind = "answer" })
  kv.set("last", "42")
end
