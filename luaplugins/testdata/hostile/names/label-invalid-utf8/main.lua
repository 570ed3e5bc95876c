-- expect: value of label iface is not valid UTF-8
-- rss: 40
-- time: 3s
-- invalid UTF-8 makes Prometheus refuse the whole scrape.
function collect()
  metrics.set("link_up", 1, { iface = "eth\255\254" })
end
