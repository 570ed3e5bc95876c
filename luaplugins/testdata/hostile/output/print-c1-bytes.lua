-- expect: ok
-- stdout: ^x\x{FFFD}y\x{FFFD}z\x{FFFD}w\n$
-- rss: 40
-- time: 3s
-- Raw 8-bit C1 bytes (NEL, CSI) and an encoded C1 control.
print("x\133y\155z\194\155w")
