-- A browser test fixture: every call breaks the instruction limit.
function collect()
  log.warn("spinning until the instruction limit ends this call")
  while true do end
end
