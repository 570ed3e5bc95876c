-- expect: json\.encode: keys 1 and "1" are both the JSON key "1"
-- rss: 40
-- time: 3s
-- A table with both 1 and "1" would encode to an object with the key "1"
-- twice; readers disagree on which one wins.
print(json.encode({x = 1}))
json.encode({[1] = "number", ["1"] = "string", [2] = "x"})
