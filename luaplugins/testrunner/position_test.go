package testrunner

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/heimnetz/heimnetz/board"
	"github.com/heimnetz/heimnetz/limits"
	"github.com/heimnetz/heimnetz/luaplugins"
)

// positionCases are plugins that fail at a known place. Each main.lua
// error must be reported by the runner exactly as `plugin run` reports it
// (luaplugins.Load, then Collect, without the test API).
var positionCases = []struct {
	name      string
	main      string
	test      string
	wantName  string // the failing result: a test_* name or "load"
	want      string
	sameAsRun bool // compare with a plain Load and Collect
}{
	{
		name: "error in collect at line 11",
		main: "-- 1\n-- 2\n-- 3\n-- 4\n-- 5\n-- 6\n-- 7\n-- 8\n-- 9\nfunction collect()\n  error(\"boom at 11\")\nend\n",
		test: "function test_collect()\n  collect()\nend\n", wantName: "test_collect",
		want: `plugin "pos": main.lua:11: boom at 11`, sameAsRun: true,
	},
	{
		name: "host function error in collect",
		main: "-- a comment\n\n\nfunction collect()\n  metrics.set(\"bad name!\", 1)\nend\n",
		test: "function test_collect()\n  collect()\nend\n", wantName: "test_collect",
		want: `plugin "pos": main.lua:5: metrics.set: invalid metric: gauge "bad name!" may hold only lowercase letters a-z, digits and _ (snake_case, no colons)`, sameAsRun: true,
	},
	{
		name: "host function error in a helper",
		main: "local function bump(n)\n  -- a counter cannot go down\n  metrics.add(\"pos_runs_total\", n)\nend\n\nfunction collect()\n  bump(-1)\nend\n",
		test: "function test_collect()\n  collect()\nend\n", wantName: "test_collect",
		want: `plugin "pos": main.lua:3: metrics.add: invalid metric: counter pos_runs_total cannot go down or by a non-finite amount (delta -1)`, sameAsRun: true,
	},
	{
		name: "runtime error in a helper",
		main: "local function field(t)\n  return t.value\nend\n\n\nfunction collect()\n  field(nil)\nend\n",
		test: "function test_collect()\n  collect()\nend\n", wantName: "test_collect",
		want: `plugin "pos": main.lua:2: attempt to index a non-table object(nil) with key 'value'`, sameAsRun: true,
	},
	{
		name: "error at load time in main.lua",
		main: "local x = 1\n\n\nerror(\"top level at 4\")\nfunction collect() end\n",
		test: "function test_x()\nend\n", wantName: "load",
		want: `plugin "pos": main.lua:4: top level at 4`, sameAsRun: true,
	},
	{
		name: "syntax error in main.lua",
		main: "function collect()\n  local = 1\nend\n",
		test: "function test_x()\nend\n", wantName: "load",
		want: `plugin "pos": main.lua line:2(column:9) near '=':   syntax error`, sameAsRun: true,
	},
	{
		name: "failed assertion in test.lua",
		main: "function collect()\n  metrics.set(\"pos_value\", 41)\nend\n",
		test: "function test_value()\n  collect()\n\n  assert_eq(metric(\"pos_value\"), 42, \"the value\")\nend\n", wantName: "test_value",
		want: `plugin "pos": test.lua:4: expected 42, got 41: the value`,
	},
	{
		name: "error in a test.lua helper",
		main: "function collect() end\n",
		test: "local function check(v)\n  if v == nil then\n    error(\"no value\")\n  end\nend\n\nfunction test_helper()\n  check(nil)\nend\n", wantName: "test_helper",
		want: `plugin "pos": test.lua:3: no value`,
	},
	{
		name: "error at load time in test.lua",
		main: "function collect() end\n",
		test: "local t = {}\nt.x.y = 1\nfunction test_x()\nend\n", wantName: "load",
		want: `plugin "pos": test.lua:2: attempt to index a non-table object(nil) with key 'y'`,
	},
	{
		name: "malformed pattern in assert_match",
		main: "function collect() end\n",
		test: "function test_pattern()\n\n  assert_match(\"abc\", \"[a\")\nend\n", wantName: "test_pattern",
		want: `plugin "pos": test.lua:3: unexpected EOS at 1`,
	},
}

// TestPositionsMatchPluginRun: a runtime error is reported at the same
// file:line by the runner as by a plain load and collect (`plugin run`),
// wherever it happens: in collect(), in a helper, in a host function, at
// load time; and errors in test.lua are reported at their test.lua line.
func TestPositionsMatchPluginRun(t *testing.T) {
	for _, tc := range positionCases {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "pos")
			os.Mkdir(dir, 0o755)
			os.WriteFile(filepath.Join(dir, luaplugins.ManifestFile), []byte("name: pos\nversion: 1.0.0\npermissions: [metrics]\n"), 0o644)
			os.WriteFile(filepath.Join(dir, luaplugins.MainFile), []byte(tc.main), 0o644)
			os.WriteFile(filepath.Join(dir, luaplugins.TestFile), []byte(tc.test), 0o644)
			rep, err := Run(dir, Options{})
			if err != nil {
				t.Fatal(err)
			}
			var got *Result
			for i := range rep.Results {
				if !rep.Results[i].Passed {
					got = &rep.Results[i]
				}
			}
			if got == nil || got.Name != tc.wantName || got.Message != tc.want {
				t.Fatalf("results %+v\nwant %s failing with %q", rep.Results, tc.wantName, tc.want)
			}
			if !tc.sameAsRun {
				return
			}
			src, err := luaplugins.ReadPath(dir, luaplugins.NewRegistry(), limits.Ceilings())
			if err != nil {
				t.Fatal(err)
			}
			p, _, err := luaplugins.Load(src, luaplugins.Env{Board: board.NewFS(Fixture())})
			if err == nil {
				_, err = p.Collect()
				p.Close()
			}
			if err == nil || err.Error() != got.Message {
				t.Errorf("plugin run reports %v, plugin test %q", err, got.Message)
			}
		})
	}
}
