package luaplugins

import (
	"errors"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heimnetz/heimnetz/limits"
)

// memKV is a test double of KV.
type memKV struct {
	mu sync.Mutex
	m  map[string]string
}

func (k *memKV) Get(key string) (string, bool, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	v, ok := k.m[key]
	return v, ok, nil
}
func (k *memKV) Set(key, v string) error {
	if len(v) > 10 {
		return errors.New("value too large (10 bytes)")
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	k.m[key] = v
	return nil
}
func (k *memKV) Delete(key string) error { k.mu.Lock(); delete(k.m, key); k.mu.Unlock(); return nil }
func (k *memKV) Keys() ([]string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	var out []string
	for key := range k.m {
		out = append(out, key)
	}
	sort.Strings(out)
	return out, nil
}

type logRec struct{ lines []string }

func (l *logRec) PluginLog(plugin, level, line string) {
	l.lines = append(l.lines, level+": "+line)
}

func load(t *testing.T, code string, perms ...string) (*Plugin, *logRec, error) {
	t.Helper()
	lim := limits.Defaults()
	lim.Instructions = 1_000_000
	// The tests that load through here check results, instructions and
	// memory; the clock must not end them first on a loaded machine or
	// under -race (encode.txt's 50,000-key table took over 2 s there).
	lim.Timeout = 30 * time.Second
	src := &Source{Origin: "test", Main: []byte(code), Manifest: &Manifest{Name: "t", Version: "1.0.0", Interval: time.Minute, Permissions: perms, Limits: lim}}
	logs := &logRec{}
	p, _, err := Load(src, Env{Log: logs, KV: &memKV{m: map[string]string{}}})
	if p != nil {
		t.Cleanup(p.Close)
	}
	return p, logs, err
}

func TestSandboxGlobals(t *testing.T) {
	code := `
local names = {"io", "os", "debug", "package", "channel", "load", "loadstring", "dofile", "loadfile",
  "require", "module", "getfenv", "setfenv", "newproxy", "_printregs", "kv", "metrics", "log", "board"}
for _, n in ipairs(names) do
  if _G[n] ~= nil then error("global " .. n .. " is present") end
end
if string.dump ~= nil then error("string.dump is present") end
for _, n in ipairs({"string", "table", "math", "coroutine", "pcall", "xpcall", "setmetatable", "tostring", "print"}) do
  if _G[n] == nil then error("global " .. n .. " is missing") end
end
print("ok", 1, true, nil, {})
`
	_, logs, err := load(t, code)
	if err != nil {
		t.Fatal(err)
	}
	if len(logs.lines) != 1 || logs.lines[0] != "info: ok\t1\ttrue\tnil\ttable" {
		t.Fatalf("print wrote %q", logs.lines)
	}
}

func TestPermissionsGrantModules(t *testing.T) {
	p, logs, err := load(t, `
kv.set("a", "1")
log.warn("stored " .. kv.get("a"))
metrics.set("t_temperature", 41.5, {sensor = "cpu"})
metrics.add("t_events_total", 2)
function collect() metrics.add("t_events_total", 1) end
`, "kv", "log", "metrics")
	if err != nil {
		t.Fatal(err)
	}
	if len(logs.lines) != 1 || logs.lines[0] != "warn: stored 1" {
		t.Errorf("log = %q", logs.lines)
	}
	if _, err := p.Collect(); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	WritePrometheus(&b, p.host.Metrics.fam, []*PluginMetrics{p.Metrics()})
	want := "# HELP t_events_total Plugin metric.\n# TYPE t_events_total counter\nt_events_total{plugin=\"t\"} 3\n" +
		"# HELP t_temperature Plugin metric.\n# TYPE t_temperature gauge\nt_temperature{plugin=\"t\",sensor=\"cpu\"} 41.5\n"
	if b.String() != want {
		t.Errorf("metrics:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestHostErrorsAreLuaErrors(t *testing.T) {
	_, _, err := load(t, `
local ok, err = pcall(kv.set, "k", "this value is too long")
assert(not ok and err:find("value too large"), err)
local ok2, err2 = pcall(metrics.set, "bad name", 1)
assert(not ok2 and err2:find("invalid metric"), err2)
local ok3, err3 = pcall(metrics.set, "x_total", 1)
assert(not ok3 and err3:find("must not end in _total"), err3)
local ok4, err4 = pcall(metrics.add, "x_total", -1)
assert(not ok4 and err4:find("cannot go down"), err4)
local ok5, err5 = pcall(metrics.set, "heimnetz_plugin_x", 1)
assert(not ok5 and err5:find("reserved prefix"), err5)
local ok6, err6 = pcall(metrics.set, "y", 0/0)
assert(not ok6 and err6:find("finite"), err6)
`, "kv", "metrics")
	if err != nil {
		t.Fatal(err)
	}
}

func TestLimitErrors(t *testing.T) {
	tests := []struct {
		code string
		kind error
		text string
	}{
		{"while true do end", limits.ErrInstructions, `plugin "t": instruction limit exceeded (1000000)`},
		{"local t = {} while true do t[#t+1] = {} end", limits.ErrMemory, `plugin "t": memory limit exceeded (8 MiB)`},
	}
	for _, tt := range tests {
		_, _, err := load(t, tt.code)
		var v *limits.Violation
		if !errors.As(err, &v) || !errors.Is(err, tt.kind) || err.Error() != tt.text {
			t.Errorf("%q: err = %v, want %q", tt.code, err, tt.text)
		}
	}
}

func TestTimeLimit(t *testing.T) {
	lim := limits.Defaults()
	lim.Instructions = 1 << 40
	lim.Timeout = 100 * time.Millisecond
	src := &Source{Main: []byte("while true do end"), Manifest: &Manifest{Name: "slow", Version: "1.0.0", Limits: lim}}
	_, _, err := Load(src, Env{})
	if !errors.Is(err, limits.ErrTimeout) || err.Error() != `plugin "slow": time limit exceeded (100ms)` {
		t.Fatalf("err = %v", err)
	}
}

func TestLogCaps(t *testing.T) {
	p, logs, err := load(t, `
function collect()
  for i = 1, 1000 do log.info(string.rep("x", 5000)) end
end`, "log")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Collect(); err != nil {
		t.Fatal(err)
	}
	lim := limits.Defaults()
	if len(logs.lines) != lim.LogLinesPerCall {
		t.Errorf("%d lines logged, want the per-call cap %d", len(logs.lines), lim.LogLinesPerCall)
	}
	if got := len(logs.lines[0]); got > lim.LogLineBytes+len("info: ")+len("…") {
		t.Errorf("line of %d bytes passed the cap of %d", got, lim.LogLineBytes)
	}
}

func TestSeriesCap(t *testing.T) {
	_, _, err := load(t, `
for i = 1, 500 do metrics.set("s", i, {i = tostring(i)}) end
local ok, err = pcall(metrics.set, "s", 1, {i = "one too many"})
assert(not ok and err:find("output limit exceeded %(500 metric series%)"), err)
`, "metrics")
	if err != nil {
		t.Fatal(err)
	}
}

func TestErrorTextIsBounded(t *testing.T) {
	_, _, err := load(t, `error(string.rep("é", 100000))`)
	var e *Error
	if !errors.As(err, &e) || len(e.Msg) > maxErrorText+len("…") {
		t.Fatalf("err = %T %d bytes", err, len(err.Error()))
	}
}

func TestFamiliesKeepKinds(t *testing.T) {
	fam := NewFamilies()
	a := NewPluginMetrics("a", fam, limits.Defaults())
	b := NewPluginMetrics("b", fam, limits.Defaults())
	if err := a.SetGauge("shared", 1, nil); err != nil {
		t.Fatal(err)
	}
	if err := b.AddCounter("shared_total", 1, nil); err != nil {
		t.Fatal(err)
	}
	if err := b.SetGauge("shared", 2, map[string]string{"x": "a\"b\\c\nd"}); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	WritePrometheus(&out, fam, []*PluginMetrics{a, b})
	want := "# HELP shared Plugin metric.\n# TYPE shared gauge\nshared{plugin=\"a\"} 1\nshared{plugin=\"b\",x=\"a\\\"b\\\\c\\nd\"} 2\n" +
		"# HELP shared_total Plugin metric.\n# TYPE shared_total counter\nshared_total{plugin=\"b\"} 1\n"
	if out.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", out.String(), want)
	}
	a.Drop()
	out.Reset()
	WritePrometheus(&out, fam, []*PluginMetrics{a, b})
	if strings.Contains(out.String(), `plugin="a"`) {
		t.Errorf("dropped plugin's series still written:\n%s", out.String())
	}
}
