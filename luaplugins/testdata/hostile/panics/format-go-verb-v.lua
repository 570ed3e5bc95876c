-- expect: invalid option '%v' to 'format'
-- rss: 40
-- time: 3s
-- %#v dumped the Go structure of a table, the globals table and heap
-- addresses included.
print(string.format("%#v", _G))
