package check

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/heimnetz/heimnetz/luaplugins"
)

var update = flag.Bool("update", false, "rewrite golden files")

// testGlobals stands in for the test runner's assertion names.
var testGlobals = []string{"assert_eq", "assert_true", "assert_error", "metric"}

func checkMain(t *testing.T, main string, perms string) *Report {
	t.Helper()
	manifest := "name: p\nversion: 1.0.0\n"
	if perms != "" {
		manifest += "permissions: [" + perms + "]\n"
	}
	fsys := fstest.MapFS{
		"p/manifest.yml": {Data: []byte(manifest)},
		"p/main.lua":     {Data: []byte(main)},
		"p/test.lua":     {Data: []byte("function test_a() assert_true(true) end\n")},
	}
	r, err := FS(fsys, "p", Options{TestGlobals: testGlobals})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestRules checks each rule on a small source: the rule fires at the
// expected position, or (want "") nothing at or above low fires.
func TestRules(t *testing.T) {
	cases := []struct {
		name, perms, main string
		rule              string
		line, col         int
		sev               Severity
	}{
		{"clean", "log", "function collect() log.info('x') end", "", 0, 0, 0},
		{"io", "", "function collect() io.write('x') end", RuleRemovedGlobal, 1, 20, Critical},
		{"os via _G", "", "function collect()\n  local x = _G.os\nend", RuleRemovedGlobal, 2, 13, Critical},
		{"require", "", "local x = require('socket')\nfunction collect() end", RuleRemovedGlobal, 1, 11, Critical},
		{"setfenv", "", "function collect() setfenv(1, {}) end", RuleRemovedGlobal, 1, 20, Critical},
		{"string.dump", "", "function collect() local s = string.dump(collect) end", RuleRemovedGlobal, 1, 30, Critical},
		{"unknown global", "", "function collect() return foo end", RuleUnknownGlobal, 1, 27, Medium},
		{"local shadows", "", "local io = {}\nfunction collect() return io end", "", 0, 0, 0},
		{"param shadows", "", "function collect(os) return os end", "", 0, 0, 0},
		{"not granted", "", "function collect() kv.set('a','b') end", RuleNotGranted, 1, 20, High},
		{"unused permission", "log, kv", "function collect() log.info('x') end", RuleUnusedPermission, 3, 1, Low},
		{"dynamic _G", "", "function collect(n) return _G[n] end", RuleDynamicCode, 1, 28, High},
		{"rawget _G", "", "function collect(n) return rawget(_G, n) end", RuleDynamicCode, 1, 28, High},
		{"string metatable", "", "function collect() local m = getmetatable('') end", RuleDynamicCode, 1, 30, High},
		{"setmetatable _G", "", "setmetatable(_G, {})\nfunction collect() end", RuleDynamicCode, 1, 1, High},
		{"binary", "", "\x1bLuaQ\x00\x01", RuleBinaryChunk, 1, 1, Critical},
		{"while true", "", "function collect()\n  while true do local x = 1 end\nend", RuleRunawayLoop, 2, 3, Medium},
		{"while true with break", "", "function collect()\n  while true do break end\nend", "", 0, 0, 0},
		{"repeat until false with return", "", "function collect()\n  repeat return until false\nend", "", 0, 0, 0},
		{"break in inner loop only", "", "function collect()\n  while true do\n    for i = 1, 2 do break end\n  end\nend", RuleRunawayLoop, 2, 3, Medium},
		{"huge for", "", "function collect()\n  for i = 1, 1e9 do end\nend", RuleRunawayLoop, 2, 3, Medium},
		{"backtracking", "", "function collect(s) return s:match('(.*)=(.-)$') end", RuleCostlyString, 1, 36, Medium},
		{"escaped dots", "", "function collect(s) return s:match('%.*%.-') end", "", 0, 0, 0},
		{"big rep", "", "function collect() return string.rep('ab', 10000000) end", RuleCostlyString, 1, 34, Medium},
		{"global write", "", "helper = 1\nfunction collect() end", RuleGlobalWrite, 1, 1, Low},
		{"global function", "", "function helper() end\nfunction collect() end", RuleGlobalWrite, 1, 10, Low},
		{"overwrite builtin", "", "print = nil\nfunction collect() end", RuleGlobalWrite, 1, 1, Medium},
		{"secret name", "", "local api_key = 'a8f5f167f44f4964e6c998dee827110c'\nfunction collect() end", RuleSecret, 1, 7, High},
		{"secret shape", "", "local t = 'AKIAIOSFODNN7EXAMPLE'\nfunction collect() end", RuleSecret, 1, 11, High},
		{"placeholder password", "", "local password = 'changeme'\nfunction collect() end", "", 0, 0, 0},
		{"plain http", "", "local u = 'http://example.com/x'\nfunction collect() end", RuleNetworkTarget, 1, 11, Medium},
		{"private address", "", "local allow = {'10.0.0.0/8'}\nfunction collect() end", RuleNetworkTarget, 1, 16, Medium},
		{"https public", "", "local u = 'https://example.com/x'\nfunction collect() end", "", 0, 0, 0},
		{"syntax", "", "function collect(\n", RuleSyntax, 2, 1, High},
		{"no collect", "", "local x = 1", RuleNoCollect, 0, 0, High},
		{"unknown host function", "kv", "function collect() kv.put('a', 'b') end", RuleUnknownField, 1, 20, Medium},
		{"unknown library function", "", "function collect() return table.sum({}) end", RuleUnknownField, 1, 27, Medium},
		{"counter name", "metrics", "function collect() metrics.add('runs', 1) end", RuleMetricName, 1, 32, High},
		{"gauge name", "metrics", "function collect() metrics.set('heimnetz_x', 1) end", RuleMetricName, 1, 32, High},
		{"camel case", "metrics", "function collect() metrics.set('wanRx', 1) end", RuleMetricName, 1, 32, High},
		{"unit abbreviation", "metrics", "function collect() metrics.set('ping_ms', 1) end", RuleMetricName, 1, 32, High},
		{"bucket gauge", "metrics", "function collect() metrics.set('rtt_bucket', 1) end", RuleMetricName, 1, 32, High},
		{"le label", "metrics", "function collect() metrics.set('rtt_seconds', 1, {le = '1'}) end", RuleMetricName, 1, 51, High},
		{"camel label", "metrics", "function collect() metrics.set('rtt_seconds', 1, {['targetHost'] = 'a'}) end", RuleMetricName, 1, 53, High},
		{"label value not UTF-8", "metrics", "function collect() metrics.set('rtt_seconds', 1, {target = '\255'}) end", RuleMetricName, 1, 51, High},
		{"too many labels", "metrics", "function collect() metrics.set('rtt_seconds', 1, {a=1,b=1,c=1,d=1,e=1,f=1,g=1,h=1,i=1}) end", RuleMetricName, 1, 20, High},
		{"good label", "metrics", "function collect() metrics.set('rtt_seconds', 1, {target = 'a'}) end", "", 0, 0, 0},
		{"huge literal", "", "local s = '" + strings.Repeat("a", maxLiteralBytes+1) + "'\nfunction collect() end", RuleOversizedLiteral, 1, 1, Medium},
		{"deep nesting", "", "function collect() return " + strings.Repeat("{", 300) + strings.Repeat("}", 300) + " end", RuleUncheckedCode, 1, 1, High},
		{"deep nesting of calls", "", "function collect() return " + strings.Repeat("f(", 250) + strings.Repeat(")", 250) + " end", RuleUncheckedCode, 1, 1, High},
		{"deep nesting of blocks", "", "function collect()\n" + strings.Repeat("do ", 250) + "os.exit() " + strings.Repeat("end ", 250) + "\nend", RuleUncheckedCode, 2, 1, High},
		{"channel library", "", "function collect() channel.make() end", RuleRemovedGlobal, 1, 20, Critical},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := checkMain(t, tc.main, tc.perms)
			if tc.rule == "" {
				for _, f := range r.Findings {
					if f.Severity >= Low {
						t.Errorf("unexpected finding %s: %s %s %s", f.Position(), f.Severity, f.Rule, f.Message)
					}
				}
				return
			}
			for _, f := range r.Findings {
				if f.Rule == tc.rule {
					if f.Line != tc.line || f.Column != tc.col || f.Severity != tc.sev {
						t.Errorf("%s at %d:%d %s, want %d:%d %s (%s)", f.Rule, f.Line, f.Column, f.Severity, tc.line, tc.col, tc.sev, f.Message)
					}
					if f.Fix == "" || f.Message == "" {
						t.Errorf("%s has no fix or message: %+v", f.Rule, f)
					}
					return
				}
			}
			t.Errorf("no %s finding; got %+v", tc.rule, r.Findings)
		})
	}
}

func TestManifestFindings(t *testing.T) {
	cases := []struct {
		name, manifest, dir, rule string
		line                      int
	}{
		{"ceiling", "name: p\nversion: 1.0.0\nlimits:\n  memory: 1GiB\n", "p", RuleCeiling, 4},
		{"bad name", "name: ../etc\nversion: 1.0.0\n", "p", RuleManifest, 1},
		{"name differs", "name: other\nversion: 1.0.0\n", "p", RuleManifest, 1},
		{"bad version", "name: p\nversion: one\n", "p", RuleManifest, 2},
		{"unknown field", "name: p\nversion: 1.0.0\ncolour: red\n", "p", RuleManifest, 3},
		{"bad limit", "name: p\nversion: 1.0.0\nlimits:\n  timeout: soon\n", "p", RuleManifest, 4},
		{"unknown permission", "name: p\nversion: 1.0.0\npermissions: [net]\n", "p", RuleManifest, 3},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{
				tc.dir + "/manifest.yml": {Data: []byte(tc.manifest)},
				tc.dir + "/main.lua":     {Data: []byte("function collect() end\n")},
			}
			r, err := FS(fsys, tc.dir, Options{})
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range r.Findings {
				if f.Rule == tc.rule {
					if f.Line != tc.line || f.File != "manifest.yml" || f.Severity != High {
						t.Errorf("%s at %s line %d %s, want line %d (%s)", f.Rule, f.File, f.Line, f.Severity, tc.line, f.Message)
					}
					if !r.Failed() {
						t.Error("report with a manifest finding does not fail")
					}
					return
				}
			}
			t.Errorf("no %s finding; got %+v", tc.rule, r.Findings)
		})
	}
}

func TestLayout(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "p")
	os.Mkdir(p, 0o755)
	os.WriteFile(filepath.Join(p, "manifest.yml"), []byte("name: p\nversion: 1.0.0\n"), 0o644)
	os.WriteFile(filepath.Join(p, "main.lua"), []byte("function collect() end\n"), 0o644)
	if err := os.Symlink("/etc/passwd", filepath.Join(p, "data.txt")); err != nil {
		t.Skip(err)
	}
	r, err := Path(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range r.Findings {
		got = append(got, f.Rule+" "+f.File)
	}
	if !strings.Contains(strings.Join(got, ","), RuleFileLayout+" data.txt") || !r.Failed() {
		t.Errorf("symlink not reported: %v", got)
	}
	if _, err := Path(filepath.Join(dir, "missing"), Options{}); err == nil || !strings.Contains(err.Error(), "unreadable") {
		t.Errorf("missing path: err = %v", err)
	}
}

// TestGoldenEvil compares the whole text report of a plugin breaking many
// rules with a golden file.
func TestGoldenEvil(t *testing.T) {
	r, err := Path("testdata/evil", Options{TestGlobals: testGlobals})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteReport(&b, r, FormatText, "test"); err != nil {
		t.Fatal(err)
	}
	golden := "testdata/evil.txt"
	if *update {
		os.WriteFile(golden, b.Bytes(), 0o644)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if b.String() != string(want) {
		t.Errorf("report differs from %s (run with -update):\n%s", golden, b.String())
	}
	if !r.Failed() || r.Worst() != Critical {
		t.Errorf("Failed %v Worst %s", r.Failed(), r.Worst())
	}
}

// TestMetricsAndPermissions checks what docs reads from a report.
func TestMetricsAndPermissions(t *testing.T) {
	r := checkMain(t, "local n = 'x'\nfunction collect()\n  metrics.set('b_gauge', 1)\n  metrics.add('a_total', 1)\n  metrics.set('b_gauge', 2)\n  metrics.set(n, 1)\nend", "metrics")
	if got := strings.Join(r.Metrics, ","); got != "a_total,b_gauge" {
		t.Errorf("Metrics = %q", got)
	}
	if got := strings.Join(r.Permissions, ","); got != "metrics" {
		t.Errorf("Permissions = %q", got)
	}
}

// TestOversizedSourceIsNotParsed: a source over the agent's maximum is one
// high finding and is not parsed, so what the checker holds stays bounded
// by the maximum however large the file (it runs on every install).
func TestOversizedSourceIsNotParsed(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "big")
	os.Mkdir(p, 0o755)
	os.WriteFile(filepath.Join(p, "manifest.yml"), []byte("name: big\nversion: 1.0.0\n"), 0o644)
	// Each line alone would be a low finding (a global write).
	os.WriteFile(filepath.Join(p, "main.lua"), []byte(strings.Repeat("x=1\n", luaplugins.MaxSourceBytes/4+1)), 0o644)
	r, err := Path(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var mainFindings []Finding
	for _, f := range r.Findings {
		if f.File == "main.lua" {
			mainFindings = append(mainFindings, f)
		}
	}
	if len(mainFindings) != 1 || mainFindings[0].Rule != RuleOversizedSource || mainFindings[0].Severity != High || !r.Failed() {
		t.Fatalf("main.lua's findings %+v, want only the high %s", mainFindings, RuleOversizedSource)
	}
}

// TestProgramInFindings: the commands findings tell the user to run
// start with Options.Program.
func TestProgramInFindings(t *testing.T) {
	fsys := fstest.MapFS{
		"p/manifest.yml": {Data: []byte("name: p\nversion: 1.0.0\npermissions: [metrics]\n")},
		"p/main.lua":     {Data: []byte("function collect()\n  metrics.nothing()\nend\n")},
	}
	for _, prog := range []string{"", "bin/heimnetz"} {
		r, err := FS(fsys, "p", Options{Program: prog})
		if err != nil {
			t.Fatal(err)
		}
		want := prog
		if want == "" {
			want = "heimnetz"
		}
		var text string
		for _, f := range r.Findings {
			text += f.Message + "\n" + f.Fix + "\n"
		}
		for _, cmd := range []string{"`" + want + " plugin new NAME`", "`" + want + " docs`"} {
			if !strings.Contains(text, cmd) {
				t.Errorf("program %q: findings lack %s:\n%s", prog, cmd, text)
			}
		}
	}
}
