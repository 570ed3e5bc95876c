package testrunner

import (
	"bytes"
	"encoding/xml"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRunReportsEachOutcome(t *testing.T) {
	rep, err := Run("testdata/failing", Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		name, msg string
		passed    bool
	}{
		{"test_passes", "", true},
		{"test_wrong_value", `plugin "failing": test.lua:9: expected 43, got 42: the answer`, false},
		{"test_raises", `plugin "failing": test.lua:13: boom`, false},
		{"test_spins", `plugin "failing": instruction limit exceeded (10000000)`, false},
		{"test_expects_error", `plugin "failing": test.lua:21: expected an error, got none`, false},
		{"test_after_limit", "", true},
	}
	if len(rep.Results) != len(want) {
		t.Fatalf("%d results: %+v", len(rep.Results), rep.Results)
	}
	for i, w := range want {
		got := rep.Results[i]
		if got.Name != w.name || got.Passed != w.passed || got.Message != w.msg {
			t.Errorf("result %d = %+v, want %s passed=%v message %q", i, got, w.name, w.passed, w.msg)
		}
	}
	if rep.Passed() != 2 || rep.Failed() != 4 {
		t.Errorf("%d passed %d failed", rep.Passed(), rep.Failed())
	}
	var b bytes.Buffer
	Write(&b, rep, FormatText)
	if !strings.HasSuffix(b.String(), "\n2 passed, 4 failed\n") {
		t.Errorf("text output does not end with the summary line:\n%s", b.String())
	}
	b.Reset()
	Write(&b, rep, FormatTAP)
	for _, line := range []string{"TAP version 13", "1..6", "ok 1 - test_passes", "not ok 2 - test_wrong_value", "ok 6 - test_after_limit", "2 passed, 4 failed"} {
		if !strings.Contains(b.String(), line+"\n") {
			t.Errorf("TAP lacks %q:\n%s", line, b.String())
		}
	}
	b.Reset()
	Write(&b, rep, FormatJUnit)
	var doc junitSuites
	if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatalf("JUnit XML does not parse: %v\n%s", err, b.String())
	}
	if doc.Tests != 6 || doc.Failures != 4 || doc.Suites[0].Cases[1].Failure == nil || doc.Suites[0].Cases[0].Failure != nil {
		t.Errorf("JUnit: %+v", doc)
	}
}

func TestLoadFailureIsOneFailedTest(t *testing.T) {
	rep, err := Run("testdata/badmain", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Results) != 1 || rep.Results[0].Name != "load" || !strings.Contains(rep.Results[0].Message, "main.lua:2: top-level failure") {
		t.Errorf("results %+v", rep.Results)
	}
}

func TestPluginTestdataIsTheBoard(t *testing.T) {
	rep, err := Run("testdata/ownboard", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Failed() != 0 || rep.Passed() != 1 {
		t.Errorf("results %+v", rep.Results)
	}
}

func TestUnusable(t *testing.T) {
	for _, dir := range []string{"testdata/missing", "../bundled/example-counter"} {
		if _, err := Run(dir, Options{}); !errors.Is(err, ErrUnusable) {
			t.Errorf("%s: err = %v", dir, err)
		}
	}
}

// TestBundledPluginTests runs the test.lua of every bundled plugin that
// has one against the built-in fixture, as `heimnetz plugin test` does.
func TestBundledPluginTests(t *testing.T) {
	entries, err := os.ReadDir("../bundled")
	if err != nil {
		t.Fatal(err)
	}
	ran := 0
	for _, e := range entries {
		dir := filepath.Join("../bundled", e.Name())
		if _, err := os.Stat(filepath.Join(dir, "test.lua")); err != nil {
			continue
		}
		ran++
		t.Run(e.Name(), func(t *testing.T) {
			rep, err := Run(dir, Options{Bundled: true})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rep.Results {
				if !r.Passed {
					t.Errorf("%s: %s", r.Name, r.Message)
				}
			}
			if len(rep.Results) == 0 {
				t.Error("no tests ran")
			}
		})
	}
	if ran < 13 {
		t.Fatalf("%d bundled plugins have tests, want every node_exporter-named one", ran)
	}
}

// TestEachTestGetsAnEmptyStore: without shared_kv a test sees neither the
// keys nor the globals nor the metrics an earlier test left; with
// shared_kv = true the kv store carries over, in source order.
func TestEachTestGetsAnEmptyStore(t *testing.T) {
	for _, dir := range []string{"testdata/isolated", "testdata/shared"} {
		rep, err := Run(dir, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Passed() != 2 || rep.Failed() != 0 {
			t.Errorf("%s: %+v", dir, rep.Results)
		}
	}
	// The same tests fail in the other mode: each claim is tested.
	for _, tc := range []struct{ dir, edit, want string }{
		{"testdata/isolated", "shared_kv = true\n", `plugin "isolated": test.lua:13: expected nil, got "behind": a key from test_first`},
		{"testdata/shared", "shared_kv = false\n", `plugin "shared": test.lua:12: expected "here", got nil`},
	} {
		dir := copyPlugin(t, tc.dir)
		test := filepath.Join(dir, "test.lua")
		data, _ := os.ReadFile(test)
		os.WriteFile(test, []byte(strings.Replace(string(data), "shared_kv = true\n", "", 1)+tc.edit), 0o644)
		rep, err := Run(dir, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Failed() != 1 || rep.Results[1].Message != tc.want {
			t.Errorf("%s with %q: %+v", tc.dir, tc.edit, rep.Results)
		}
	}
}

func TestSharedKVMustBeLiteral(t *testing.T) {
	dir := copyPlugin(t, "testdata/shared")
	os.WriteFile(filepath.Join(dir, "test.lua"), []byte("shared_kv = 1 == 1\nfunction test_x() end\n"), 0o644)
	if _, err := Run(dir, Options{}); !errors.Is(err, ErrUnusable) || err.Error() != filepath.Join(dir, "test.lua")+":1: shared_kv must be set to the literal true or false" {
		t.Errorf("err = %v", err)
	}
}

// copyPlugin copies the plugin directory dir into a temporary directory
// of the same name and returns its path.
func copyPlugin(t *testing.T, dir string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), filepath.Base(dir))
	if err := os.CopyFS(out, os.DirFS(dir)); err != nil {
		t.Fatal(err)
	}
	return out
}
