package main

import "strings"

// symbolPrefixes are the linker's prefixes for data it derives from a
// type or function; the package is that of the type or function named after
// the prefix.
var symbolPrefixes = []string{
	"type:.eq.", "type:.hash.", "type:.namedata.", "type:.importpath.",
	"type:", "go:itab.", "go:info.", "go:cuinfo.", "go:link.",
}

// packageOf returns the import path of the Go package a linker symbol
// belongs to, or "" when the name carries none (runtime assembly labels
// such as gcWriteBarrier, or linker-made blobs such as go:func.*).
//
// Go's linker escapes dots in the last element of an import path (%2e),
// so the package ends at the first dot after the last slash, and receivers,
// type arguments and closures after it do not matter.
func packageOf(name string) string {
	for changed := true; changed; {
		changed = false
		for _, p := range symbolPrefixes {
			if strings.HasPrefix(name, p) {
				name = name[len(p):]
				changed = true
			}
		}
		// Composite types: *T, []T, [4]T, chan T are T's.
		trimmed := strings.TrimLeft(name, "*[]0123456789")
		trimmed = strings.TrimPrefix(trimmed, "chan ")
		if trimmed != name {
			name = trimmed
			changed = true
		}
	}
	if name == "" || strings.HasPrefix(name, "go:") || strings.HasPrefix(name, "map[") ||
		strings.HasPrefix(name, "func(") || strings.HasPrefix(name, "struct {") ||
		strings.HasPrefix(name, "interface {") {
		return ""
	}
	head := name
	if i := strings.IndexAny(head, "([ ,"); i >= 0 {
		head = head[:i]
	}
	slash := strings.LastIndexByte(head, '/')
	dot := strings.IndexByte(head[slash+1:], '.')
	if dot <= 0 {
		return ""
	}
	return head[:slash+1+dot]
}
