package check

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/heimnetz/heimnetz/limits"
	"github.com/heimnetz/heimnetz/luaplugins"
)

// ErrUnreadable marks input the checker cannot read at all (a missing
// path, a directory it may not list); `plugin check` exits 2 on it.
var ErrUnreadable = errors.New("unreadable plugin")

// hooks are the global functions the agent calls; defining them is what
// a plugin is for.
var hooks = map[string]bool{"collect": true}

// readCap is the most bytes read of any one file: enough to report an
// oversized source without holding an unbounded one.
const readCap = 4 * luaplugins.MaxSourceBytes

// Options configures a check.
type Options struct {
	// Registry is the host API; nil means luaplugins.NewRegistry().
	Registry *luaplugins.Registry
	// Ceilings cap the limits a manifest may ask for; the zero value
	// means limits.Ceilings().
	Ceilings limits.Limits
	// TestGlobals are the names the test runner defines or reads in
	// test.lua (assert_eq, …, shared_kv): test.lua may use and set them.
	TestGlobals []string
	// Program is how the user runs heimnetz (the binary passes its own
	// invocation name, e.g. bin/heimnetz); the commands findings tell the
	// user to run start with it. Empty means heimnetz.
	Program string
}

func (o Options) withDefaults() Options {
	if o.Registry == nil {
		o.Registry = luaplugins.NewRegistry()
	}
	if o.Ceilings.Instructions == 0 {
		o.Ceilings = limits.Ceilings()
	}
	return o
}

// Path checks the plugin directory (or bare .lua file) at p.
func Path(p string, opts Options) (*Report, error) {
	fi, err := os.Lstat(p)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnreadable, err)
	}
	if fi.IsDir() {
		abs, err := filepath.Abs(p)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrUnreadable, err)
		}
		r, err := FS(os.DirFS(filepath.Dir(abs)), filepath.Base(abs), opts)
		if r != nil {
			r.Path = p
		}
		return r, err
	}
	if !fi.Mode().IsRegular() || !strings.HasSuffix(p, ".lua") {
		return nil, fmt.Errorf("%w: %s is not a plugin directory or a .lua file", ErrUnreadable, p)
	}
	data, err := readFile(os.DirFS(filepath.Dir(p)), filepath.Base(p))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnreadable, err)
	}
	opts = opts.withDefaults()
	r := &Report{Plugin: strings.TrimSuffix(filepath.Base(p), ".lua"), Path: p, Permissions: []string{}}
	main := checkLua(r, filepath.Base(p), data, nil, opts, nil)
	finishMain(r, main, nil, opts, false)
	finish(r, opts)
	return r, nil
}

// FS checks the plugin in directory dir of fsys.
func FS(fsys fs.FS, dir string, opts Options) (*Report, error) {
	opts = opts.withDefaults()
	if _, err := fs.ReadDir(fsys, dir); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnreadable, err)
	}
	r := &Report{Plugin: path.Base(dir), Path: dir, Findings: []Finding{}, Metrics: []string{}, Permissions: []string{}}
	layout(r, fsys, dir)

	var granted []string
	var manifestLines []string
	if data, err := readFile(fsys, path.Join(dir, luaplugins.ManifestFile)); err != nil {
		r.Findings = append(r.Findings, Finding{Rule: RuleManifest, Severity: High, File: luaplugins.ManifestFile,
			Message: "manifest.yml cannot be read: " + err.Error(), Fix: "add a manifest.yml (`heimnetz plugin new NAME` writes a plugin with one to start from)"})
	} else {
		manifestLines = strings.Split(string(data), "\n")
		m, perms := manifest(r, data, path.Base(dir), opts)
		granted = perms
		if m != nil {
			r.Plugin = m.Name
		}
	}
	r.Permissions = append(r.Permissions, granted...)

	main, err := readFile(fsys, path.Join(dir, luaplugins.MainFile))
	var mainChunk *chunk
	if err != nil {
		r.Findings = append(r.Findings, Finding{Rule: RuleFileLayout, Severity: Critical, File: luaplugins.MainFile,
			Message: "main.lua cannot be read: " + err.Error(), Fix: "add main.lua with a collect() function"})
	} else {
		mainChunk = checkLua(r, luaplugins.MainFile, main, granted, opts, nil)
	}
	test, err := readFile(fsys, path.Join(dir, luaplugins.TestFile))
	hasTests := false
	if err == nil {
		var defined []ref
		if mainChunk != nil {
			defined = mainChunk.writes
		}
		tc := checkLua(r, luaplugins.TestFile, test, granted, opts, defined)
		for _, w := range tc.writes {
			hasTests = hasTests || strings.HasPrefix(w.name, "test_")
		}
	}
	if !hasTests {
		r.Findings = append(r.Findings, Finding{Rule: RuleNoTests, Severity: Info, File: luaplugins.TestFile,
			Message: "no test_* functions, so plugin test has nothing to run", Fix: mustRule(RuleNoTests).Fix})
	}
	finishMain(r, mainChunk, granted, opts, true)
	if mainChunk != nil {
		unusedPermissions(r, mainChunk, granted, manifestLines)
	}
	finish(r, opts)
	return r, nil
}

// Source checks an already-read plugin (the bundled ones, or one the
// agent has in memory). Files other than main.lua and test.lua are not
// looked at.
func Source(src *luaplugins.Source, opts Options) *Report {
	opts = opts.withDefaults()
	m := src.Manifest
	r := &Report{Plugin: m.Name, Path: src.Origin, Findings: []Finding{}, Metrics: []string{}, Permissions: append([]string{}, m.Permissions...)}
	main := checkLua(r, luaplugins.MainFile, src.Main, m.Permissions, opts, nil)
	if src.Test != nil {
		checkLua(r, luaplugins.TestFile, src.Test, m.Permissions, opts, main.writes)
	}
	finishMain(r, main, m.Permissions, opts, true)
	unusedPermissions(r, main, m.Permissions, nil)
	finish(r, opts)
	return r
}

// finish sorts the findings and makes the commands they name start with
// opts.Program, so that they run as printed.
func finish(r *Report, opts Options) {
	sortFindings(r.Findings)
	if opts.Program == "" || opts.Program == "heimnetz" {
		return
	}
	for i := range r.Findings {
		f := &r.Findings[i]
		f.Message = strings.ReplaceAll(f.Message, "`heimnetz ", "`"+opts.Program+" ")
		f.Fix = strings.ReplaceAll(f.Fix, "`heimnetz ", "`"+opts.Program+" ")
	}
}

func mustRule(id string) Rule {
	r, _ := RuleByID(id)
	return r
}

// readFile reads a regular file, cut at readCap bytes so an oversized
// source can still be reported.
func readFile(fsys fs.FS, name string) ([]byte, error) {
	return luaplugins.ReadRegular(fsys, name, readCap)
}

// layout reports links, special files and odd names in the directory.
func layout(r *Report, fsys fs.FS, dir string) {
	count := 0
	fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		rel := strings.TrimPrefix(strings.TrimPrefix(p, dir), "/")
		if err != nil {
			r.Findings = append(r.Findings, Finding{Rule: RuleFileLayout, Severity: High, File: rel, Message: "cannot be read: " + err.Error(), Fix: mustRule(RuleFileLayout).Fix})
			return nil
		}
		if rel == "" {
			return nil
		}
		count++
		if count > 1000 {
			return fs.SkipAll
		}
		t := d.Type()
		switch {
		case t&fs.ModeSymlink != 0:
			r.Findings = append(r.Findings, Finding{Rule: RuleFileLayout, Severity: High, File: rel, Message: "symbolic link in the plugin directory: it can point outside it", Fix: mustRule(RuleFileLayout).Fix})
		case !t.IsDir() && !t.IsRegular():
			r.Findings = append(r.Findings, Finding{Rule: RuleFileLayout, Severity: High, File: rel, Message: "special file (" + t.String() + ") in the plugin directory", Fix: mustRule(RuleFileLayout).Fix})
		case strings.ContainsAny(rel, "\\\x00") || strings.Contains(rel, ".."):
			r.Findings = append(r.Findings, Finding{Rule: RuleFileLayout, Severity: High, File: rel, Message: "file name with .. or a backslash", Fix: mustRule(RuleFileLayout).Fix})
		}
		return nil
	})
}

// checkLua analyses one Lua file and adds its own findings. defined are
// the global writes of main.lua when file is test.lua.
func checkLua(r *Report, file string, src []byte, granted []string, opts Options, defined []ref) *chunk {
	if len(src) > luaplugins.MaxSourceBytes {
		r.Findings = append(r.Findings, Finding{Rule: RuleOversizedSource, Severity: High, File: file, Line: 0,
			Message: fmt.Sprintf("%s is larger than the maximum of %d bytes; not analysed further", file, luaplugins.MaxSourceBytes), Fix: mustRule(RuleOversizedSource).Fix})
		// The agent refuses such a source, and parsing it would cost the
		// checker (which runs on every install) memory in proportion to
		// what it was handed: a 1 MiB file of short statements took
		// 199 MB of RSS and 1.5 s.
		return &chunk{file: file}
	}
	c := analyse(file, src)
	r.Findings = append(r.Findings, c.findings...)
	if !c.parsed {
		return c
	}
	resolve(r, c, granted, opts, defined, file == luaplugins.TestFile)
	return c
}

// resolve judges the global reads, writes and field uses of c.
func resolve(r *Report, c *chunk, granted []string, opts Options, defined []ref, isTest bool) {
	sb := sandboxGlobals()
	bad := forbidden()
	modules := map[string]luaplugins.Module{}
	for _, m := range opts.Registry.Modules() {
		if m.Permission != "" {
			modules[m.Name] = m
		}
	}
	base := map[string]bool{}
	for _, m := range opts.Registry.Modules() {
		if m.Permission == "" {
			for _, f := range m.Funcs {
				base[f.Name] = true
			}
		}
	}
	grant := map[string]bool{}
	for _, p := range granted {
		grant[p] = true
	}
	own := map[string]bool{}
	for _, w := range c.writes {
		own[w.name] = true
	}
	for _, w := range defined {
		own[w.name] = true
	}
	extra := map[string]bool{}
	if isTest {
		for _, n := range opts.TestGlobals {
			extra[n] = true
		}
	}
	add := func(rule string, sev Severity, at ref, msg string) {
		r.Findings = append(r.Findings, Finding{Rule: rule, Severity: sev, File: c.file, Line: at.line, Column: at.col, Message: msg, Fix: mustRule(rule).Fix})
	}
	reported := map[string]bool{}
	for _, rd := range c.reads {
		n := rd.name
		switch {
		case own[n] && !bad[n]:
		case sb.globals[n] || base[n] || extra[n]:
		case bad[n]:
			add(RuleRemovedGlobal, Critical, rd, fmt.Sprintf("%s is removed from the sandbox", n))
		case modules[n].Name != "":
			mod := modules[n]
			if !grant[mod.Permission] && !reported["grant:"+n] {
				reported["grant:"+n] = true
				add(RuleNotGranted, High, rd, fmt.Sprintf("uses host module %s, but the manifest does not grant %q", n, mod.Permission))
			}
		default:
			if !reported["unknown:"+n] {
				reported["unknown:"+n] = true
				add(RuleUnknownGlobal, Medium, rd, fmt.Sprintf("unknown global %s (nil at run time)", n))
			}
		}
	}
	for _, f := range c.fields {
		if own[f.module] {
			continue
		}
		at := ref{line: f.line, col: f.col}
		if removedFields[f.module][f.field] {
			add(RuleRemovedGlobal, Critical, at, fmt.Sprintf("%s.%s is removed from the sandbox", f.module, f.field))
			continue
		}
		if lib, ok := sb.fields[f.module]; ok && !lib[f.field] {
			add(RuleUnknownField, Medium, at, fmt.Sprintf("%s.%s does not exist in the sandbox", f.module, f.field))
			continue
		}
		if mod, ok := modules[f.module]; ok && !hasFunc(mod, f.field) {
			add(RuleUnknownField, Medium, at, fmt.Sprintf("host module %s has no function %s", f.module, f.field))
		}
	}
	for _, w := range c.writes {
		switch {
		case hooks[w.name] && !isTest, isTest && (strings.HasPrefix(w.name, "test_") || extra[w.name]):
		case sb.globals[w.name] || base[w.name] || modules[w.name].Name != "":
			add(RuleGlobalWrite, Medium, w, fmt.Sprintf("assignment replaces the built-in global %s", w.name))
		default:
			add(RuleGlobalWrite, Low, w, fmt.Sprintf("assignment to global %s", w.name))
		}
	}
}

func hasFunc(m luaplugins.Module, name string) bool {
	for _, f := range m.Funcs {
		if f.Name == name {
			return true
		}
	}
	return false
}

// finishMain adds what is known once main.lua is analysed: metric names
// and whether collect() exists.
func finishMain(r *Report, c *chunk, granted []string, opts Options, needCollect bool) {
	seen := map[string]bool{}
	for _, m := range r.Metrics {
		seen[m] = true
	}
	if c == nil {
		return
	}
	for _, m := range c.metrics {
		if !seen[m.name] {
			seen[m.name] = true
			r.Metrics = append(r.Metrics, m.name)
		}
	}
	sort.Strings(r.Metrics)
	if !needCollect || !c.parsed {
		return
	}
	for _, w := range c.writes {
		if w.name == "collect" {
			return
		}
	}
	r.Findings = append(r.Findings, Finding{Rule: RuleNoCollect, Severity: High, File: c.file, Message: "main.lua defines no global function collect()", Fix: mustRule(RuleNoCollect).Fix})
}

// unusedPermissions reports granted modules main.lua never names.
func unusedPermissions(r *Report, c *chunk, granted []string, manifestLines []string) {
	if c == nil || !c.parsed {
		return
	}
	used := map[string]bool{}
	for _, rd := range c.reads {
		used[rd.name] = true
	}
	line, col := 0, 0
	for i, l := range manifestLines {
		if strings.HasPrefix(l, "permissions:") {
			line, col = i+1, 1
		}
	}
	for _, p := range granted {
		if !used[p] {
			r.Findings = append(r.Findings, Finding{Rule: RuleUnusedPermission, Severity: Low, File: luaplugins.ManifestFile, Line: line, Column: col,
				Message: fmt.Sprintf("permission %q is granted but main.lua never uses module %s", p, p), Fix: mustRule(RuleUnusedPermission).Fix})
		}
	}
}

// manifest validates manifest.yml with the runtime's own parser and
// reports its error as a finding on the field's line. It returns the
// manifest when valid, and the permissions it asks for either way (read
// leniently when it does not validate, so the Lua rules still know them).
func manifest(r *Report, data []byte, dirName string, opts Options) (*luaplugins.Manifest, []string) {
	m, err := luaplugins.ParseManifest(data, dirName, opts.Registry.Permissions(), opts.Ceilings)
	if err == nil {
		return m, m.Permissions
	}
	rule, line, msg := RuleManifest, 0, err.Error()
	if errors.Is(err, luaplugins.ErrAboveCeiling) {
		rule = RuleCeiling
	}
	var me *luaplugins.ManifestError
	if errors.As(err, &me) {
		// The finding carries the file and line; the message is the rest.
		line, msg = me.Line, me.Problem()
	}
	r.Findings = append(r.Findings, Finding{Rule: rule, Severity: High, File: luaplugins.ManifestFile, Line: line, Column: min(line, 1),
		Message: msg, Fix: mustRule(rule).Fix})
	var loose struct {
		Name        string   `yaml:"name"`
		Permissions []string `yaml:"permissions"`
	}
	if yaml.Unmarshal(data, &loose) == nil {
		if loose.Name != "" && len(loose.Name) <= 64 {
			r.Plugin = loose.Name
		}
		return nil, loose.Permissions
	}
	return nil, nil
}
