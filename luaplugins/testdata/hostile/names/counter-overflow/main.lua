-- expect: counter link_errors_total would grow past the largest finite number
-- rss: 40
-- time: 3s
-- Each add is finite, their sum is not: the counter would be exported as
-- +Inf, which no rate() can use. The second add is refused instead.
metrics.add("link_errors_total", 1e308)
metrics.add("link_errors_total", 1e308)
