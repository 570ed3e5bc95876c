package luaplugins

import (
	"embed"
	"io/fs"
	"sort"
)

//go:embed bundled
var bundledFS embed.FS

// Bundled returns the plugins built into the binary: one directory per
// plugin at the root of the returned file system.
func Bundled() fs.FS {
	sub, err := fs.Sub(bundledFS, "bundled")
	if err != nil {
		// fs.Sub fails only for an invalid path, and "bundled" is valid.
		panic(err)
	}
	return sub
}

// BundledNames returns the names of the bundled plugins, sorted. An
// installed package may not take one of them.
func BundledNames() []string {
	dirs, err := fs.ReadDir(bundledFS, "bundled")
	if err != nil {
		// The embedded directory always exists.
		panic(err)
	}
	var out []string
	for _, d := range dirs {
		if d.IsDir() {
			out = append(out, d.Name())
		}
	}
	sort.Strings(out)
	return out
}
