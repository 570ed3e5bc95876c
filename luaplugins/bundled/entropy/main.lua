-- entropy: node_entropy_available_bits and node_entropy_pool_size_bits.

function collect()
  local e, why = board.entropy()
  if why ~= nil then
    return
  end
  metrics.set("node_entropy_available_bits", e.available_bits)
  if e.pool_size_bits > 0 then
    metrics.set("node_entropy_pool_size_bits", e.pool_size_bits)
  end
end
