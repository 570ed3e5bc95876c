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

// unusableError is an ErrUnusable whose text is only its cause, so a
// manifest error reads "x/manifest.yml:4: interval: …" without a prefix.
type unusableError struct{ err error }

func (e unusableError) Error() string   { return e.err.Error() }
func (e unusableError) Unwrap() []error { return []error{ErrUnusable, e.err} }

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
	// bundled plugins' own tests set it. Without it, a directory whose
	// manifest and main.lua are byte for byte a bundled plugin's runs as
	// that plugin (luaplugins.BundledCopy); any other does not.
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
func Run(dir string, opts Options) (_ *Report, err error) {
	if opts.Registry == nil {
		opts.Registry = luaplugins.NewRegistry()
	}
	if opts.Ceilings.Instructions == 0 {
		opts.Ceilings = limits.Ceilings()
	}
	src, err := luaplugins.ReadPath(dir, opts.Registry, opts.Ceilings)
	if err != nil {
		return nil, unusableError{err}
	}
	if opts.Bundled {
		built, err := fs.ReadFile(luaplugins.Bundled(), path.Join(src.Name(), luaplugins.MainFile))
		if err != nil || !bytes.Equal(built, src.Main) {
			return nil, unusableError{fmt.Errorf("%s is not the bundled plugin %s", dir, src.Name())}
		}
		src.Origin = luaplugins.OriginBundled
	} else if luaplugins.BundledCopy(src, dir) {
		src.Origin = luaplugins.OriginBundled
	}
	if src.Test == nil {
		return nil, unusableError{fmt.Errorf("%s has no %s", dir, luaplugins.TestFile)}
	}
	names, shared, err := testFile(src.Test, filepath.Join(dir, luaplugins.TestFile))
	if err != nil {
		return nil, unusableError{err}
	}
	if len(names) == 0 {
		return nil, unusableError{fmt.Errorf("%s defines no test_* function", filepath.Join(dir, luaplugins.TestFile))}
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
	stores := &testStores{dir: tmp, plugin: src.Name(), limits: src.Manifest.Limits, shared: shared}
	defer func() {
		// A store that failed to flush may have lost what a test wrote:
		// the run reports it rather than passing on data it never kept.
		if cerr := stores.close(); cerr != nil && err == nil {
			err = fmt.Errorf("kv store of the last test: %w", cerr)
		}
	}()

	var logs []string
	env := luaplugins.Env{
		Registry: opts.Registry,
		Log: luaplugins.LogFunc(func(_, level, line string) {
			logs = append(logs, level+": "+line)
		}),
		Board:   board.NewFS(fixture),
		TestAPI: testAPI(),
	}
	rep := &Report{Plugin: src.Name()}
	for i, name := range names {
		// Each test gets a freshly loaded plugin (main.lua, then
		// test.lua) and, unless test.lua sets shared_kv, a new store.
		if src.Manifest.Allows("kv") {
			if env.KV, err = stores.next(); err != nil {
				return nil, err
			}
		}
		logs = nil
		p, stats, err := luaplugins.Load(src, env)
		if err != nil {
			res := Result{Name: name, Message: err.Error(), Logs: logs}
			if i == 0 {
				// It fails the same way for every test: report it once.
				res.Name = loadTest
			}
			if stats != nil {
				res.Duration, res.Instructions = stats.Duration, stats.Instructions
			}
			rep.Results = append(rep.Results, res)
			if i == 0 {
				return rep, nil
			}
			continue
		}
		logs = nil
		stats, err = p.CallGlobal(name)
		p.Close()
		res := Result{Name: name, Passed: err == nil, Logs: logs}
		if stats != nil {
			res.Duration, res.Instructions = stats.Duration, stats.Instructions
		}
		if err != nil {
			res.Message = err.Error()
		}
		rep.Results = append(rep.Results, res)
	}
	return rep, nil
}

// SharedKV is the test.lua global that, set to true by a top-level
// statement `shared_kv = true`, makes the tests of a run share one kv
// store, in source order; otherwise each test starts with an empty one.
const SharedKV = "shared_kv"

// testFile returns the global test_* functions test.lua defines at its
// top level, in source order, and whether it sets shared_kv = true there.
// shared_kv must be given as the literal true or false, so that the
// runner knows it before any code runs.
// name is the file's path, for errors.
func testFile(src []byte, name string) (names []string, shared bool, err error) {
	stmts, err := parse.Parse(bytes.NewReader(src), name)
	if err != nil {
		return nil, false, errors.New(strings.TrimSpace(err.Error()))
	}
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
				id, ok := l.(*ast.IdentExpr)
				if !ok || i >= len(s.Rhs) {
					continue
				}
				if _, fn := s.Rhs[i].(*ast.FunctionExpr); fn {
					add(id.Value)
				}
				if id.Value == SharedKV {
					switch s.Rhs[i].(type) {
					case *ast.TrueExpr:
						shared = true
					case *ast.FalseExpr:
						shared = false
					default:
						return nil, false, fmt.Errorf("%s:%d: %s must be set to the literal true or false", name, s.Line(), SharedKV)
					}
				}
			}
		}
	}
	return names, shared, nil
}

// testStores gives each test a store of its own, a new bbolt file with
// its own quotas and write rate, or one store to every test when shared.
type testStores struct {
	dir, plugin string
	limits      limits.Limits
	shared      bool
	n           int
	db          *store.DB
}

// next returns the kv store for the next test.
func (s *testStores) next() (*store.KV, error) {
	if s.db == nil || !s.shared {
		if err := s.close(); err != nil {
			return nil, fmt.Errorf("kv store of the previous test: %w", err)
		}
		s.n++
		so := store.DefaultOptions(s.dir)
		so.LivePath, so.SnapshotPath = filepath.Join(s.dir, fmt.Sprintf("test-%d.db", s.n)), ""
		db, err := store.Open(so)
		if err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
		s.db = db
	}
	l := s.limits
	return s.db.KV(s.plugin, store.QuotaFor(l)), nil
}

func (s *testStores) close() error {
	if s.db == nil {
		return nil
	}
	err := s.db.Close()
	s.db = nil
	return err
}
