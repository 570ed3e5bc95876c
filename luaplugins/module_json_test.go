package luaplugins

import (
	"strings"
	"testing"
)

func TestJSONModule(t *testing.T) {
	_, logs, err := load(t, `
print(json.encode({1, 2, "x", true}))
print(json.encode({b = 1, a = {c = "q\"uote"}}))
print(json.encode({}))
local v = json.decode('{"a": [1, 2, {"b": null}], "s": "é"}')
print(v.a[1], v.a[2], type(v.a[3]), v.s)
local ok, err = pcall(json.encode, {f = print})
print(ok, err)
local t = {} t.self = t
ok, err = pcall(json.encode, t)
print(ok, err)
ok, err = pcall(json.encode, {0/0})
print(ok, err)
ok, err = pcall(json.decode, string.rep("[", 100) .. string.rep("]", 100))
print(ok, err)
ok, err = pcall(json.decode, '{"a": }')
print(ok, err)
local deep = {}
local cur = deep
for i = 1, 40 do cur.x = {} cur = cur.x end
ok, err = pcall(json.encode, deep)
print(ok, err)
`, "json")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`info: [1,2,"x",true]`,
		`info: {"a":{"c":"q\"uote"},"b":1}`,
		`info: []`,
		"info: 1\t2\ttable\té",
		"info: false\tmain.lua:7: json.encode: a function has no JSON form",
		"info: false\tmain.lua:10: json.encode: a table contains itself (cycle)",
		"info: false\tmain.lua:12: json.encode: NaN and infinite numbers have no JSON form",
		"info: false\tmain.lua:14: json.decode: nesting of 100 is deeper than the limit of 32",
		"info: false\tmain.lua:16: json.decode: invalid JSON at byte 6: unexpected character '}'",
		"info: false\tmain.lua:21: json.encode: tables nest deeper than the limit of 32",
	}
	if len(logs.lines) != len(want) {
		t.Fatalf("got %d lines:\n%s", len(logs.lines), strings.Join(logs.lines, "\n"))
	}
	for i := range want {
		if got := logs.lines[i]; got != want[i] {
			t.Errorf("line %d = %q, want %q", i, got, want[i])
		}
	}
}

func FuzzJSONDecode(f *testing.F) {
	for _, s := range []string{`{"a":[1,2,{"b":null}]}`, `[[[[`, `"\u0000"`, `1e400`, `{"a":1}{"b":2}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		p, _, err := load(t, "function collect() local ok, v = pcall(json.decode, input) if ok then json.encode(v) end end", "json")
		if err != nil {
			t.Fatal(err)
		}
		p.L.SetGlobal("input", luaString(text))
		if _, err := p.Collect(); err != nil && strings.Contains(err.Error(), "internal error") {
			t.Fatalf("decode of %q: %v", text, err)
		}
	})
}
