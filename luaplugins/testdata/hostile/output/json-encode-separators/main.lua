-- expect: ok
-- stdout: ^"ls\\u2028ps\\u2029nl\\nnul\\u0000"\n$
-- rss: 40
-- time: 3s
-- U+2028 and U+2029 are escaped in the JSON text, as encoding/json does, so
-- the text can be embedded in a script or a log line as it is.
print(json.encode("ls\226\128\168ps\226\128\169nl\nnul\0"))
