-- expect: main\.lua:2: attempt to index a non-table object\(nil\) with key 'loadlib'$
package.loadlib("/lib/libc.so", "system")
