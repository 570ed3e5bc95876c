package luaplugins

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/heimnetz/heimnetz/limits"
)

// File names inside a plugin directory.
const (
	ManifestFile = "manifest.yml"
	MainFile     = "main.lua"
	TestFile     = "test.lua"
	ReadmeFile   = "README.md"
)

// PackageFile returns the name of the package file `heimnetz plugin
// pack` writes for version version of plugin name when not told another:
// NAME-VERSION.tar.gz.
func PackageFile(name, version string) string { return name + "-" + version + ".tar.gz" }

// MaxSourceBytes caps main.lua and test.lua.
const MaxSourceBytes = 256 << 10

// OriginBundled is the Origin of a plugin built into the binary. Only
// such a plugin may export NodeExporterName's names; a plugin read from a
// directory or installed never gets this Origin, even one that replaces
// a bundled plugin of the same name.
const OriginBundled = "bundled"

// Source is one plugin as read from disk or from the binary, validated
// but not yet run.
type Source struct {
	// Origin says where it came from: OriginBundled or a path.
	Origin   string
	Manifest *Manifest
	Main     []byte
	Test     []byte // nil when the plugin has no test.lua
	Readme   []byte // nil when the plugin has no README.md
}

// Name returns the plugin's name.
func (s *Source) Name() string { return s.Manifest.Name }

// ReadDir reads the plugin in directory dir of fsys. The manifest is
// parsed and validated first; nothing else is read when it is invalid.
// origin may not be OriginBundled: ReadBundled alone reads those.
func ReadDir(fsys fs.FS, dir, origin string, reg *Registry, ceilings limits.Limits) (*Source, error) {
	if origin == OriginBundled {
		return nil, fmt.Errorf("%s: origin %q is reserved for the plugins built into the binary", dir, origin)
	}
	return readDir(fsys, dir, origin, reg, ceilings)
}

func readDir(fsys fs.FS, dir, origin string, reg *Registry, ceilings limits.Limits) (*Source, error) {
	data, err := readCapped(fsys, path.Join(dir, ManifestFile), MaxManifestBytes)
	if err != nil {
		return nil, err
	}
	m, err := ParseManifest(data, path.Base(dir), reg.Permissions(), ceilings)
	if err != nil {
		// The error names the file and line itself: "x/manifest.yml:4: …".
		var me *ManifestError
		if errors.As(err, &me) {
			me.File = path.Join(origin, ManifestFile)
			return nil, me
		}
		return nil, fmt.Errorf("%s: %w", path.Join(origin, ManifestFile), err)
	}
	src := &Source{Origin: origin, Manifest: m}
	if src.Main, err = readCapped(fsys, path.Join(dir, MainFile), MaxSourceBytes); err != nil {
		return nil, err
	}
	if src.Test, err = readCapped(fsys, path.Join(dir, TestFile), MaxSourceBytes); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if src.Readme, err = readCapped(fsys, path.Join(dir, ReadmeFile), 64<<10); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	return src, nil
}

// ReadPath reads a plugin from a directory on disk or, for a path ending
// in .lua, a bare script that gets the default limits and no permissions.
func ReadPath(p string, reg *Registry, ceilings limits.Limits) (*Source, error) {
	fi, err := os.Stat(p)
	if err != nil {
		return nil, err
	}
	if fi.IsDir() {
		abs, err := filepath.Abs(p)
		if err != nil {
			return nil, err
		}
		origin := p
		if origin == OriginBundled {
			// A directory on disk named "bundled" is not built in.
			origin = "." + string(filepath.Separator) + p
		}
		return ReadDir(os.DirFS(filepath.Dir(abs)), filepath.Base(abs), origin, reg, ceilings)
	}
	if !strings.HasSuffix(p, ".lua") {
		return nil, fmt.Errorf("%s: not a plugin directory or a .lua file", p)
	}
	main, err := readCapped(os.DirFS(filepath.Dir(p)), filepath.Base(p), MaxSourceBytes)
	if err != nil {
		return nil, err
	}
	name := scriptName(filepath.Base(p))
	return &Source{
		Origin: p,
		Manifest: &Manifest{
			Name: name, Version: "0.0.0", Interval: DefaultInterval,
			Limits: limits.Defaults(), Asked: map[string]string{},
		},
		Main: main,
	}, nil
}

// scriptName derives a plugin name from a file name ("My Script.lua" →
// "my-script"), falling back to "script".
func scriptName(file string) string {
	base := strings.ToLower(strings.TrimSuffix(file, ".lua"))
	var b strings.Builder
	for _, r := range base {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9' && b.Len() > 0:
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	name := strings.Trim(b.String(), "-")
	if len(name) > 32 {
		name = strings.Trim(name[:32], "-")
	}
	if !validName(name) {
		return "script"
	}
	return name
}

// ReadAll reads every plugin directory directly under root in fsys; each
// plugin's Origin is origin joined with its directory's name. A plugin
// that does not validate is reported in errs and skipped; the others are
// returned sorted by name.
func ReadAll(fsys fs.FS, root, origin string, reg *Registry, ceilings limits.Limits) (srcs []*Source, errs []error) {
	return readAll(fsys, root, origin, false, reg, ceilings)
}

// ReadBundled reads the plugins built into the binary, as ReadAll does;
// their Origin is OriginBundled.
func ReadBundled(reg *Registry, ceilings limits.Limits) (srcs []*Source, errs []error) {
	return readAll(Bundled(), ".", OriginBundled, true, reg, ceilings)
}

// readAll is ReadAll; for the bundled plugins (ReadBundled only) origin
// is kept as every plugin's Origin instead of being joined with its name.
func readAll(fsys fs.FS, root, origin string, bundled bool, reg *Registry, ceilings limits.Limits) (srcs []*Source, errs []error) {
	entries, err := fs.ReadDir(fsys, root)
	if err != nil {
		return nil, []error{err}
	}
	for _, e := range entries {
		if !e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		o := origin
		if !bundled {
			o = filepath.Join(origin, e.Name())
		}
		src, err := readDir(fsys, path.Join(root, e.Name()), o, reg, ceilings)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		srcs = append(srcs, src)
	}
	sort.Slice(srcs, func(i, j int) bool { return srcs[i].Name() < srcs[j].Name() })
	return srcs, errs
}

// ReadRegular reads at most limit bytes of the regular file name in fsys;
// a longer file is cut at limit without an error (callers that refuse
// long files read limit+1 and compare). Anything but a regular file
// (a directory, a device, a FIFO) is an error that names it.
func ReadRegular(fsys fs.FS, name string, limit int64) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file", name)
	}
	data, err := io.ReadAll(io.LimitReader(f, limit))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return data, nil
}

// readCapped reads a regular file of at most max bytes; a longer one is
// an error.
func readCapped(fsys fs.FS, name string, max int64) ([]byte, error) {
	data, err := ReadRegular(fsys, name, max+1)
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("%s: larger than the maximum of %s", name, limits.FormatSize(max))
	}
	return data, nil
}
