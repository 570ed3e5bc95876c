-- expect: json\.encode: keys 0\.5 and "0\.5" are both the JSON key "0\.5"
-- rss: 40
-- time: 3s
json.encode({a = {[0.5] = true, ["0.5"] = false}})
