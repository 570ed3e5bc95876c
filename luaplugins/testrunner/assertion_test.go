package testrunner

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/heimnetz/heimnetz/luaplugins"
)

// TestAssertions runs each assertion once passing and once failing and
// checks the exact message, raised at the line of test.lua that called
// it.
func TestAssertions(t *testing.T) {
	cases := []struct{ body, want string }{
		{`assert_eq(1, 1) assert_eq("a", "a") local t = {} assert_eq(t, t)`, ""},
		{`assert_eq(42, 43, "the answer")`, `test.lua:2: expected 43, got 42: the answer`},
		{`assert_eq("a\nb", "a\"b")`, `test.lua:2: expected "a\"b", got "a\nb"`},
		{`assert_eq({}, {})`, `test.lua:2: expected table: `},
		{`assert_eq(nil, false)`, `test.lua:2: expected false, got nil`},
		{`assert_true(1) assert_true("") assert_false(nil) assert_false(false)`, ""},
		{`assert_true(nil, "why")`, `test.lua:2: expected a true value, got nil: why`},
		{`assert_false(0)`, `test.lua:2: expected a false value, got 0`},
		{`assert_match("abc", "^a.c$")`, ""},
		{`assert_match("abc", "^b")`, `test.lua:2: expected "abc" to match "^b"`},
		{`assert_match(12, "1")`, `test.lua:2: expected 12 to match "1"`},
		{`assert_error(function() error("no way") end, "no way")`, ""},
		{`assert_error(function() error({}) end)`, ""},
		{`assert_error(function() end)`, `test.lua:2: expected an error, got none`},
		{`assert_error(function() error("other") end, "^this")`, `test.lua:2: expected an error matching "^this", got "test.lua:2: other"`},
		{`assert_error(function() while true do end end)`, `instruction limit exceeded (10000000)`},
		{`fail()`, `test.lua:2: failed`},
		{`fail("not yet")`, `test.lua:2: failed: not yet`},
		{`collect() assert_eq(metric("a_value", {k = "v", n = 1}), 3) assert_eq(metric("a_value"), nil) assert_eq(metric("a_runs_total"), 2)`, ""},
		{`metric("a_value", "k")`, `test.lua:2: bad argument #2 to metric (labels must be a table, not string)`},
	}
	for _, tc := range cases {
		dir := filepath.Join(t.TempDir(), "a")
		os.Mkdir(dir, 0o755)
		os.WriteFile(filepath.Join(dir, luaplugins.ManifestFile), []byte("name: a\nversion: 1.0.0\npermissions: [metrics]\n"), 0o644)
		os.WriteFile(filepath.Join(dir, luaplugins.MainFile), []byte("function collect()\n  metrics.set(\"a_value\", 3, {k = \"v\", n = 1})\n  metrics.add(\"a_runs_total\", 2)\nend\n"), 0o644)
		os.WriteFile(filepath.Join(dir, luaplugins.TestFile), []byte("function test_it()\n  "+tc.body+"\nend\n"), 0o644)
		rep, err := Run(dir, Options{})
		if err != nil {
			t.Fatal(err)
		}
		res := rep.Results[0]
		switch {
		case tc.want == "" && !res.Passed:
			t.Errorf("%s: failed: %s", tc.body, res.Message)
		case tc.want != "" && (res.Passed || !hasPrefixAfterPlugin(res.Message, tc.want)):
			t.Errorf("%s:\n got %q\nwant %q", tc.body, res.Message, tc.want)
		}
	}
}

// hasPrefixAfterPlugin reports whether msg, without its `plugin "a": `
// prefix, starts with want.
func hasPrefixAfterPlugin(msg, want string) bool {
	const p = `plugin "a": `
	return len(msg) >= len(p) && msg[:len(p)] == p && len(msg)-len(p) >= len(want) && msg[len(p):len(p)+len(want)] == want
}
