-- expect: json\.decode: nesting of 500000 is deeper than the limit of 32
-- rss: 40
-- time: 3s
json.decode(string.rep("[", 500000) .. string.rep("]", 500000))
