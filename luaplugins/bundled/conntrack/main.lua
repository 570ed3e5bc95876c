-- conntrack: node_nf_conntrack_entries and node_nf_conntrack_entries_limit.
-- Without the nf_conntrack module there are no series.

function collect()
  local ct, why = board.conntrack()
  if why ~= nil then
    return
  end
  metrics.set("node_nf_conntrack_entries", ct.entries)
  metrics.set("node_nf_conntrack_entries_limit", ct.limit)
end
