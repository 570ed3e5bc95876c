-- expect: attempt to index|nil
package.loadlib("/lib/libc.so", "system")
