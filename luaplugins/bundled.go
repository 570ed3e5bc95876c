package luaplugins

import (
	"bytes"
	"embed"
	"io/fs"
	"os"
	"path"
	"path/filepath"
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

// BundledCopy reports whether src, read from the directory dir, is byte
// for byte a bundled plugin: its manifest and main.lua equal the ones
// built into the binary under its name. `plugin run` and `plugin test`
// run such a copy as the bundled plugin (OriginBundled), so a bundled
// plugin's source tree can be run and tested as it ships. It gains nothing
// the bundled plugin does not have (same code, same permissions and
// limits); any edit makes it an ordinary plugin. The running agent never
// uses this: a plugins directory holds plugins, never bundled ones.
func BundledCopy(src *Source, dir string) bool {
	name := src.Name()
	builtMain, err := fs.ReadFile(bundledFS, path.Join("bundled", name, MainFile))
	if err != nil || !bytes.Equal(builtMain, src.Main) {
		return false
	}
	builtManifest, err := fs.ReadFile(bundledFS, path.Join("bundled", name, ManifestFile))
	if err != nil {
		return false
	}
	manifest, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	return err == nil && bytes.Equal(builtManifest, manifest)
}
