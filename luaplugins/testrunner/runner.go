package testrunner

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/yuin/gopher-lua/ast"
	"github.com/yuin/gopher-lua/parse"

	"github.com/heimnetz/heimnetz/board"
	"github.com/heimnetz/heimnetz/limits"
	"github.com/heimnetz/heimnetz/luaplugins"
	"github.com/heimnetz/heimnetz/store"
)

//go:embed fixture
var fixtureFS embed.FS

// Fixture returns the board data tests run against when the plugin has
// no testdata/ directory: /proc and /etc of an OpenWrt MT7621 router.
func Fixture() fs.FS {
	sub, err := fs.Sub(fixtureFS, "fixture")
	if err != nil {
		// fs.Sub fails only for an invalid path, and "fixture" is valid.
		panic(err)
	}
	return sub
}

// ErrUnusable marks a plugin whose tests cannot run at all (no plugin, no
// test.lua, no test functions, a test.lua that does not parse); `plugin
// test` exits 2 on it.
var ErrUnusable = errors.New("tests cannot run")

// Options configures a run.
type Options struct {
	// Registry is the host API; nil means luaplugins.NewRegistry().
	Registry *luaplugins.Registry
	// Ceilings cap the manifest's limits; the zero value means
	// limits.Ceilings().
	Ceilings limits.Limits
	// Board is the fixture tree; nil means the plugin's testdata/ when
	// present, else Fixture().
	Board fs.FS
	// Bundled runs the plugin as the bundled plugin of its name
	// (luaplugins.OriginBundled), which may export NodeExporterName's
	// names; its main.lua must be the one built into the binary. The
	// bundled plugins' own tests set it; `heimnetz plugin test` never
	// does, as a directory on disk is not a bundled plugin.
	Bundled bool
}

// Result is the outcome of one test function.
type Result struct {
	Name         string        `json:"name"`
	Passed       bool          `json:"passed"`
	Message      string        `json:"message,omitempty"`
	Duration     time.Duration `json:"duration_ns"`
	Instructions int64         `json:"instructions"`
	Logs         []string      `json:"logs,omitempty"`
}

// Report is the outcome of a plugin's tests.
type Report struct {
	Plugin  string   `json:"plugin"`
	Results []Result `json:"results"`
}

// Passed returns how many tests passed.
func (r *Report) Passed() int {
	n := 0
	for _, res := range r.Results {
		if res.Passed {
			n++
		}
	}
	return n
}

// Failed returns how many tests failed.
func (r *Report) Failed() int { return len(r.Results) - r.Passed() }

// loadTest is the name of the pseudo-test that reports a failure to load
// main.lua and test.lua.
const loadTest = "load"

// Run runs the tests of the plugin directory dir.
func Run(dir string, opts Options) (*Report, error) {
	if opts.Registry == nil {
		opts.Registry = luaplugins.NewRegistry()
	}
	if opts.Ceilings.Instructions == 0 {
		opts.Ceilings = limits.Ceilings()
	}
	src, err := luaplugins.ReadPath(dir, opts.Registry, opts.Ceilings)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnusable, err)
	}
	if opts.Bundled {
		built, err := fs.ReadFile(luaplugins.Bundled(), path.Join(src.Name(), luaplugins.MainFile))
		if err != nil || !bytes.Equal(built, src.Main) {
			return nil, fmt.Errorf("%w: %s is not the bundled plugin %s", ErrUnusable, dir, src.Name())
		}
		src.Origin = luaplugins.OriginBundled
	}
	if src.Test == nil {
		return nil, fmt.Errorf("%w: %s has no %s", ErrUnusable, dir, luaplugins.TestFile)
	}
	names, err := testNames(src.Test)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrUnusable, luaplugins.TestFile, err)
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("%w: %s defines no test_* function", ErrUnusable, luaplugins.TestFile)
	}
	fixture := opts.Board
	if fixture == nil {
		fixture = Fixture()
		if fi, err := os.Stat(filepath.Join(dir, "testdata")); err == nil && fi.IsDir() {
			fixture = os.DirFS(filepath.Join(dir, "testdata"))
		}
	}

	tmp, err := os.MkdirTemp("", "heimnetz-plugin-test-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	so := store.DefaultOptions(tmp)
	so.LivePath, so.SnapshotPath = filepath.Join(tmp, "test.db"), ""
	db, err := store.Open(so)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	defer db.Close()

	mainLines := bytes.Count(src.Main, []byte("\n")) + 1
	combined := &luaplugins.Source{Origin: src.Origin, Manifest: src.Manifest, Readme: src.Readme,
		Main: []byte(prelude + " do " + string(src.Main) + "\nend do " + string(src.Test) + "\nend\n")}
	var logs []string
	lim := src.Manifest.Limits
	env := luaplugins.Env{
		Registry: opts.Registry,
		Log: luaplugins.LogFunc(func(_, level, line string) {
			logs = append(logs, level+": "+line)
		}),
		KV:    db.KV(src.Name(), store.Quota{MaxKeys: lim.KVKeys, MaxBytes: lim.KVBytes, MaxValueLen: lim.KVValueBytes, WritesPerMinute: lim.KVWritesPerMinute}),
		Board: board.NewFS(fixture),
	}
	rep := &Report{Plugin: src.Name()}
	p, stats, err := luaplugins.Load(combined, env)
	if err != nil {
		rep.Results = append(rep.Results, Result{Name: loadTest, Message: remap(err.Error(), mainLines), Duration: stats.Duration, Instructions: stats.Instructions, Logs: logs})
		return rep, nil
	}
	defer p.Close()
	for _, name := range names {
		logs = nil
		stats, err := p.CallGlobal(name)
		res := Result{Name: name, Passed: err == nil, Logs: logs}
		if stats != nil {
			res.Duration, res.Instructions = stats.Duration, stats.Instructions
		}
		if err != nil {
			res.Message = remap(err.Error(), mainLines)
		}
		rep.Results = append(rep.Results, res)
	}
	return rep, nil
}

// testNames returns the global test_* functions test.lua defines at its
// top level, in source order.
func testNames(src []byte) ([]string, error) {
	stmts, err := parse.Parse(bytes.NewReader(src), luaplugins.TestFile)
	if err != nil {
		return nil, errors.New(strings.TrimSpace(err.Error()))
	}
	var names []string
	seen := map[string]bool{}
	add := func(n string) {
		if strings.HasPrefix(n, "test_") && !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	for _, s := range stmts {
		switch s := s.(type) {
		case *ast.FuncDefStmt:
			if id, ok := s.Name.Func.(*ast.IdentExpr); ok && s.Name.Receiver == nil {
				add(id.Value)
			}
		case *ast.AssignStmt:
			for i, l := range s.Lhs {
				if id, ok := l.(*ast.IdentExpr); ok && i < len(s.Rhs) {
					if _, fn := s.Rhs[i].(*ast.FunctionExpr); fn {
						add(id.Value)
					}
				}
			}
		}
	}
	return names, nil
}

var positionRE = regexp.MustCompile(`main\.lua(:| line:)(\d+)`)

// remap turns positions in the combined chunk back into main.lua or
// test.lua positions.
func remap(msg string, mainLines int) string {
	return positionRE.ReplaceAllStringFunc(msg, func(m string) string {
		sub := positionRE.FindStringSubmatch(m)
		n, err := strconv.Atoi(sub[2])
		if err != nil || n <= mainLines {
			return m
		}
		return luaplugins.TestFile + sub[1] + strconv.Itoa(n-mainLines)
	})
}
