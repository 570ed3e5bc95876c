package luaplugins

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/heimnetz/heimnetz/limits"
)

// FuzzSandbox feeds generated Lua source to the sandbox: whatever it is,
// loading and running it must end by itself within its limits, and never
// with a Go panic (recovered panics surface as "internal error").
func FuzzSandbox(f *testing.F) {
	for _, dir := range []string{"testdata/hostile", "testdata/conformance"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.lua"))
		for _, file := range files {
			if data, err := os.ReadFile(file); err == nil {
				f.Add(string(data))
			}
		}
	}
	for _, s := range []string{
		"function collect() local t = {} for i = 1, 100 do t[i] = i end return t end",
		"return ((((((((((1))))))))))",
		"local a = setmetatable({}, {__index = function(t, k) return k end}) return a.x .. a.y",
		"x = string.rep('a', 10):gsub('a', '%0%0'):upper()",
	} {
		f.Add(s)
	}
	lim := limits.Defaults()
	lim.Instructions = 200_000
	lim.Memory = 1 << 20
	lim.Timeout = 500 * time.Millisecond
	f.Fuzz(func(t *testing.T, code string) {
		src := &Source{Main: []byte(code), Manifest: &Manifest{Name: "fuzz", Version: "1.0.0", Permissions: []string{"json", "log"}, Limits: lim}}
		start := time.Now()
		p, _, err := Load(src, Env{Log: LogFunc(func(string, string, string) {})})
		if err == nil && p.HasCollect() {
			_, err = p.Collect()
		}
		if p != nil {
			p.Close()
		}
		if err != nil && strings.Contains(err.Error(), "internal error") {
			t.Fatalf("Go panic inside the sandbox: %v", err)
		}
		// Generous: the limits end any call within 500 ms of wall time.
		if d := time.Since(start); d > 5*time.Second {
			t.Fatalf("ran %v, past its limits", d)
		}
	})
}
