package luaplugins

import (
	"bufio"
	"encoding/json"
	"errors"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"
	"unsafe"

	lua "github.com/yuin/gopher-lua"

	"github.com/heimnetz/heimnetz/limits"
)

// jsonCase is one line of testdata/json/*.txt: the input, the last tab,
// the expected probe output.
type jsonCase struct {
	line     int
	in, want string
}

func readJSONCases(t *testing.T, name string) []jsonCase {
	t.Helper()
	f, err := os.Open("testdata/json/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cases []jsonCase
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, '\t')
		if i < 0 {
			t.Fatalf("%s:%d: no tab", name, n)
		}
		cases = append(cases, jsonCase{n, line[:i], line[i+1:]})
	}
	return cases
}

// jsonProbe prints what a case checks: a long result as its length, an
// error without its position prefix.
const jsonProbe = `
local function result(ok, v)
  if not ok then
    print("error: " .. (string.gsub(v, "^main.lua:%d+: json%.%a+: ", "")))
  elseif type(v) == "string" and (#v > 100 or string.find(v, "[%z\1-\31]") or string.find(v, "\226\128[\168\169]")) then
    print("len " .. #v)
  elseif type(v) == "table" then
    if v[1] ~= nil then
      local parts = {}
      for i = 1, table.maxn(v) do parts[i] = tostring(v[i]) end
      print(table.concat(parts, ",") .. " n=" .. table.maxn(v))
    else
      local keys = {}
      for k in pairs(v) do keys[#keys + 1] = k end
      table.sort(keys)
      local parts = {}
      for i, k in ipairs(keys) do parts[i] = k .. "=" .. (type(v[k]) == "table" and "table" or tostring(v[k])) end
      print(table.concat(parts, " "))
    end
  else
    print(tostring(v))
  end
end
`

func TestJSONEncodeCases(t *testing.T) {
	for _, c := range readJSONCases(t, "encode.txt") {
		_, logs, err := load(t, jsonProbe+"result(pcall(json.encode, "+c.in+"))", "json")
		if err != nil {
			t.Errorf("encode.txt:%d: %v", c.line, err)
			continue
		}
		if len(logs.lines) != 1 || logs.lines[0] != "info: "+c.want {
			t.Errorf("encode.txt:%d: json.encode(%.60s) printed %q, want %q", c.line, c.in, logs.lines, c.want)
		}
	}
}

func TestJSONDecodeCases(t *testing.T) {
	for _, c := range readJSONCases(t, "decode.txt") {
		p, logs, err := load(t, jsonProbe+"function collect() result(pcall(json.decode, input)) end", "json")
		if err != nil {
			t.Fatalf("decode.txt:%d: %v", c.line, err)
		}
		p.L.SetGlobal("input", lua.LString(c.in))
		if _, err := p.Collect(); err != nil {
			t.Errorf("decode.txt:%d: %v", c.line, err)
			continue
		}
		if len(logs.lines) != 1 || logs.lines[0] != "info: "+c.want {
			t.Errorf("decode.txt:%d: json.decode(%q) printed %q, want %q", c.line, c.in, logs.lines, c.want)
		}
	}
}

// TestJSONDecodeCopies checks that decoded strings and keys are copies,
// never slices that keep the plugin's whole text alive.
func TestJSONDecodeCopies(t *testing.T) {
	L := lua.NewState()
	defer L.Close()
	text := "{\"key\":\"value\",\"esc\":\"a\\nb\",\"bad\":\"\xff\"}"
	if err := decodeJSON(L, nil, text, 10); err != nil {
		t.Fatal(err)
	}
	tb := L.Get(-1).(*lua.LTable)
	lo, hi := uintptr(unsafe.Pointer(unsafe.StringData(text))), uintptr(unsafe.Pointer(unsafe.StringData(text)))+uintptr(len(text))
	tb.ForEach(func(k, v lua.LValue) {
		for _, s := range []string{string(k.(lua.LString)), string(v.(lua.LString))} {
			if p := uintptr(unsafe.Pointer(unsafe.StringData(s))); p >= lo && p < hi {
				t.Errorf("decoded %q points into the text", s)
			}
		}
	})
	if got := tb.RawGetString("bad").String(); got != "\uFFFD" {
		t.Errorf("invalid UTF-8 decoded to %q", got)
	}
}

// TestJSONDecodeBombsStopAtMemoryCap decodes documents that expand far
// beyond their size under a 1 MiB cap: each must end with the memory
// limit, and the Go heap may grow by a bounded amount only.
func TestJSONDecodeBombsStopAtMemoryCap(t *testing.T) {
	bombs := map[string]string{
		"empty tables":  `local parts = {} for i = 1, 200000 do parts[i] = "[]" end return "[" .. table.concat(parts, ",") .. "]"`,
		"empty objects": `return "[" .. string.rep("{},", 300000) .. "{}]"`,
		"small objects": `return "[" .. string.rep('{"a":1},', 120000) .. "{}]"`,
		"nested pairs":  `return string.rep('[[],', 30) .. string.rep("[]", 1) .. string.rep("]", 30)`,
		"null holes":    `return "[" .. string.rep("null,", 200000) .. "1]"`,
		"short strings": `return "[" .. string.rep('"ab",', 200000) .. '""]'`,
		"many keys":     `local parts = {} for i = 1, 60000 do parts[i] = '"k' .. i .. '":0' end return "{" .. table.concat(parts, ",") .. "}"`,
	}
	for name, build := range bombs {
		t.Run(name, func(t *testing.T) {
			lim := limits.Defaults()
			lim.Memory = 1 << 20
			lim.Instructions = 50_000_000
			src := &Source{Origin: "test", Main: []byte("function make() " + build + " end\nfunction collect() local t = input json.decode(t) end"),
				Manifest: &Manifest{Name: "t", Version: "1.0.0", Permissions: []string{"json"}, Limits: lim}}
			p, _, err := Load(src, Env{Log: &logRec{}, KV: &memKV{m: map[string]string{}}})
			if err != nil {
				t.Fatal(err)
			}
			defer p.Close()
			// The document is built outside the cap, so only its decode counts.
			p.meter.SetMemoryLimit(0)
			if err := p.L.CallByParam(lua.P{Fn: p.L.GetGlobal("make"), NRet: 1, Protect: true}); err != nil {
				t.Fatal(err)
			}
			doc := p.L.Get(-1)
			p.L.Pop(1)
			p.L.SetGlobal("input", doc)
			p.meter.SetMemoryLimit(int64(lim.Memory))
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			_, err = p.Collect()
			runtime.ReadMemStats(&after)
			if name == "nested pairs" {
				if err != nil {
					t.Fatalf("small nested document: %v", err)
				}
				return
			}
			if !errors.Is(err, limits.ErrMemory) {
				t.Fatalf("decode of %d bytes: err = %v, want the memory limit", len(doc.String()), err)
			}
			grew := int64(after.TotalAlloc - before.TotalAlloc)
			t.Logf("%d-byte document: %v; Go heap allocated %d KiB", len(doc.String()), err, grew>>10)
			if grew > 16<<20 {
				t.Errorf("decode allocated %d MiB of Go heap under a 1 MiB cap", grew>>20)
			}
		})
	}
}

// FuzzJSONDecodeAgrees checks the decoder against encoding/json: it
// accepts exactly the valid documents (numbers in range, nesting within
// the limit) and never panics.
func FuzzJSONDecodeAgrees(f *testing.F) {
	for _, s := range []string{`{"a":[1,2,{"b":null}]}`, `[[[[`, `"\u0000"`, `1e400`, `{"a":1}{"b":2}`, `"\ud800\udc00"`, ` -0.0e+1 `, "\"\xff\""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		L := lua.NewState()
		defer L.Close()
		err := decodeJSON(L, nil, text, 20)
		valid := json.Valid([]byte(text)) && jsonDepth(text) <= 20
		if valid {
			var v any
			valid = json.Unmarshal([]byte(text), &v) == nil // numbers out of range
		}
		if (err == nil) != valid {
			t.Fatalf("decode(%q): err %v, encoding/json valid %v", text, err, valid)
		}
	})
}

// TestJSONDecodeHoldsTheTimeLimit decodes a large document again and
// again under pcall with a 100 ms wall-time limit: the decode's Go loop
// checks the call's deadline, so the call ends with the time limit soon
// after it, although the loop runs few VM instructions.
func TestJSONDecodeHoldsTheTimeLimit(t *testing.T) {
	lim := limits.Defaults()
	lim.Memory = 32 << 20
	lim.Timeout = 100 * time.Millisecond
	if os.Getenv("HEIMNETZ_EMULATED") != "" {
		lim.Timeout = time.Second
	}
	src := &Source{Origin: "test", Main: []byte(`
function collect()
  for i = 1, 1000 do pcall(json.decode, doc) end
end`), Manifest: &Manifest{Name: "t", Version: "1.0.0", Permissions: []string{"json"}, Limits: lim}}
	p, _, err := Load(src, Env{Log: &logRec{}, KV: &memKV{m: map[string]string{}}})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	p.L.SetGlobal("doc", lua.LString("["+strings.Repeat(`1,`, 500000)+"1]"))
	stats, err := p.Collect()
	if !errors.Is(err, limits.ErrTimeout) {
		t.Fatalf("err = %v, want the time limit", err)
	}
	// Under -race the loop between two deadline checks runs up to 10x
	// slower: the bound grows with it (259 ms against 100 ms was seen).
	if over := stats.Duration - lim.Timeout; over > raceSlowdown*(lim.Timeout/2+100*time.Millisecond) {
		t.Errorf("call ran %v, %v past its limit", stats.Duration, over)
	}
	t.Logf("call ran %v against a %v limit", stats.Duration, lim.Timeout)
}

// FuzzJSONEncodeString checks the encoder's string escaping against
// encoding/json: the text must decode to what encoding/json's decodes to.
func FuzzJSONEncodeString(f *testing.F) {
	for _, s := range []string{"", "plain", "q\"b\\", "\x00\x1f\x7f", "\u2028\u2029", "<&>", "\xff\xfe", "é€😀"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ours, err := encodeJSON(nil, lua.LString(s), 4)
		if err != nil {
			t.Fatal(err)
		}
		theirs, _ := json.Marshal(s)
		var a, b string
		if err := json.Unmarshal([]byte(ours), &a); err != nil {
			t.Fatalf("encode(%q) = %s is not JSON: %v", s, ours, err)
		}
		if err := json.Unmarshal(theirs, &b); err != nil || a != b {
			t.Fatalf("encode(%q) = %s decodes to %q; encoding/json's %s to %q", s, ours, a, theirs, b)
		}
		if strings.ContainsAny(ours, "<>&\u2028\u2029") {
			t.Fatalf("encode(%q) = %s holds a character encoding/json escapes", s, ours)
		}
	})
}
