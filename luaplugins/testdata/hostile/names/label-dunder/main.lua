-- expect: label name "__name__" must start with a lowercase letter
-- rss: 40
-- time: 3s
-- the label that holds the metric name in Prometheus.
function collect()
  metrics.set("link_up", 1, { __name__ = "other_metric" })
end
