-- expect: bad argument #1 to .?random.? \(interval is empty\)
-- rss: 40
-- time: 3s
-- math.random(0): upstream called rand.Intn(0), whose panic text
-- ("invalid argument to Intn") reached the plugin.
print(math.random(0))
