package oneline

import "unsafe"

// unsafeSame reports whether a and b share their first byte.
func unsafeSame(a, b string) bool {
	return len(a) > 0 && len(b) > 0 && unsafe.StringData(a) == unsafe.StringData(b)
}
