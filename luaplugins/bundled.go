package luaplugins

import (
	"embed"
	"io/fs"
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
