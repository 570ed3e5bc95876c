-- expect: main\.lua:2: attempt to index a non-table object\(nil\) with key 'set'$
kv.set("x", "y")
