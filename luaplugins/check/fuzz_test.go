package check

import (
	"testing"
	"testing/fstest"
)

// FuzzCheck feeds arbitrary Lua source (and a manifest) to the checker:
// it must never panic and every finding must carry a rule, a known
// severity and a fix.
func FuzzCheck(f *testing.F) {
	seeds := []string{
		"function collect() end",
		"while true do end",
		"local t = {" + "{{{{" + "}}}}" + "}",
		"_G[x] = rawget(_G, y) .. getmetatable('').__index",
		"for i = 1, 1e99, 0 do end",
		"local s = ('x'):rep(1e12) return s:match('.-.-.-')",
		"\x1bLua",
		"function a.b.c:d(...) return ... end goto x ::x::",
		"local u = 'http://[::1]:80/' .. 'https://10.1.2.3'",
		"repeat local x = 1 until x",
		"--[[ unterminated",
		"x = 0x",
	}
	for _, s := range seeds {
		f.Add(s, "name: p\nversion: 1.0.0\npermissions: [kv]\n")
	}
	rules := map[string]bool{}
	for _, r := range Rules() {
		rules[r.ID] = true
	}
	f.Fuzz(func(t *testing.T, main, manifest string) {
		fsys := fstest.MapFS{
			"p/manifest.yml": {Data: []byte(manifest)},
			"p/main.lua":     {Data: []byte(main)},
			"p/test.lua":     {Data: []byte(main)},
		}
		r, err := FS(fsys, "p", Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, fd := range r.Findings {
			if !rules[fd.Rule] || fd.Severity < Info || fd.Severity > Critical || fd.Fix == "" || fd.Line < 0 || fd.Column < 0 {
				t.Fatalf("bad finding %+v", fd)
			}
		}
		SARIF([]*Report{r}, "fuzz")
	})
}
