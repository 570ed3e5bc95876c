package luaplugins

import (
	"fmt"
	"math"
	"net/netip"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/heimnetz/heimnetz/board"
)

// dumpLua writes v with its tables' entries sorted by key (pairs() over
// a table's hash part has no fixed order in gopher-lua, whichever way the
// table was filled).
func dumpLua(b *strings.Builder, v lua.LValue) {
	t, ok := v.(*lua.LTable)
	if !ok {
		fmt.Fprintf(b, "%s:%q", v.Type(), v.String())
		return
	}
	var entries []string
	t.ForEach(func(k, v lua.LValue) {
		var e strings.Builder
		dumpLua(&e, k)
		e.WriteString("=")
		dumpLua(&e, v)
		entries = append(entries, e.String())
	})
	sort.Strings(entries)
	fmt.Fprintf(b, "{%s}", strings.Join(entries, ","))
}

// convertBoth converts v by the direct walk (structToLua) and by the JSON
// round trip and returns both dumps and errors.
func convertBoth(t *testing.T, v any, depth int) (direct, viaJSON string, errD, errJ error) {
	t.Helper()
	L := lua.NewState(lua.Options{SkipOpenLibs: true})
	defer L.Close()
	d, errD := structToLua(L, v, depth)
	j, errJ := jsonToLua(L, v, depth)
	var bd, bj strings.Builder
	dumpLua(&bd, d)
	dumpLua(&bj, j)
	return bd.String(), bj.String(), errD, errJ
}

// TestStructTableMatchesJSON checks that the direct conversion gives what
// the JSON round trip gives for every board reader's result on every
// fixture (and with client identities masked), and for the shapes
// encoding/json treats specially.
func TestStructTableMatchesJSON(t *testing.T) {
	fixtures, _ := filepath.Glob(filepath.Join("..", "board", "testdata", "*"))
	var values []any
	for _, dir := range fixtures {
		if !strings.HasPrefix(filepath.Base(dir), "openwrt-") && !strings.HasPrefix(filepath.Base(dir), "debian-") || strings.HasSuffix(dir, ".json") {
			continue
		}
		b, err := board.New(dir)
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		bv := reflect.ValueOf(Board(b))
		bt := reflect.TypeFor[Board]()
		for i := range bt.NumMethod() {
			m := bt.Method(i)
			var out []reflect.Value
			switch m.Type.NumIn() {
			case 0:
				out = bv.MethodByName(m.Name).Call(nil)
			case 1:
				lan, _ := b.LANPrefixes()
				out = bv.MethodByName(m.Name).Call([]reflect.Value{reflect.ValueOf(lan)})
			}
			if len(out) > 0 {
				values = append(values, out[0].Interface())
			}
		}
		id := Identity{Key: []byte("key")}
		ls, _ := b.DHCPLeases()
		ss, _ := b.WifiStations()
		values = append(values, id.leases(ls), id.stations(ss))
	}
	// The board's own types all take the direct walk (netip.Prefix has
	// its own text form, so LAN prefixes take the round trip).
	L := lua.NewState(lua.Options{SkipOpenLibs: true})
	defer L.Close()
	for i, v := range values {
		if _, prefixes := v.([]netip.Prefix); prefixes {
			continue
		}
		if _, err := directToLua(L, reflect.ValueOf(v), 32); err != nil {
			t.Errorf("board value %d (%T): %v", i, v, err)
		}
	}
	if len(values) < 50 {
		t.Fatalf("only %d board values read from %d fixtures", len(values), len(fixtures))
	}
	type inner struct {
		A string `json:"a"`
		B int    `json:"b,omitempty"`
		C string
	}
	type tie struct{ C string }
	type shapes struct {
		inner
		tie
		B       string             `json:"b"`
		Skip    string             `json:"-"`
		Nil     []int              `json:"nil"`
		NilMap  map[string]int     `json:"nil_map"`
		Map     map[string]int     `json:"map,omitempty"`
		Ptr     *int               `json:"ptr"`
		Any     any                `json:"any"`
		Bytes   []byte             `json:"bytes"`
		F32     float32            `json:"f32"`
		When    time.Time          `json:"when"`
		Addr    netip.Addr         `json:"addr"`
		Nested  [][]map[string]any `json:"nested"`
		Big     uint64             `json:"big"`
		private int
	}
	seven := 7
	values = append(values,
		shapes{inner: inner{A: "a", B: 2, C: "c"}, tie: tie{C: "tie"}, B: "outer", Map: map[string]int{"z": 1, "a": 2}, Ptr: &seven, Any: []any{1.5, "x", nil, true},
			Nested: [][]map[string]any{{{"k": "v"}}}, Big: math.MaxUint64, private: 1},
		shapes{Bytes: []byte("hi"), F32: 0.1, When: time.Unix(1, 0).UTC(), Addr: netip.MustParseAddr("192.168.1.2")},
		struct {
			S string  `json:"s"`
			F float64 `json:"f"`
		}{S: "bad \xff utf-8", F: math.Copysign(0, -1)},
		nil, []string(nil), map[string][]int{"b": {1}, "a": nil},
	)
	for i, v := range values {
		for _, depth := range []int{32, 2, 0} {
			d, j, errD, errJ := convertBoth(t, v, depth)
			if d != j || fmt.Sprint(errD) != fmt.Sprint(errJ) {
				t.Errorf("value %d (%T), depth %d:\ndirect %v %.600s\njson   %v %.600s", i, v, depth, errD, d, errJ, j)
			}
		}
	}
	// NaN fails as it does in JSON.
	if _, _, errD, errJ := convertBoth(t, struct{ F float64 }{math.NaN()}, 8); errD == nil || fmt.Sprint(errD) != fmt.Sprint(errJ) {
		t.Errorf("NaN: direct %v, json %v", errD, errJ)
	}
}

// BenchmarkStructToLua converts typical board results of the MT7621
// fixture (the netclass plugin's interface states, the netdev plugin's
// counters, the wifi-stations plugin's stations, meminfo with its map of
// fields) by the direct walk and by the JSON round trip.
func BenchmarkStructToLua(b *testing.B) {
	brd, err := board.New(roundFixture)
	if err != nil {
		b.Fatal(err)
	}
	defer brd.Close()
	ifs, _ := brd.InterfaceStats()
	nd, _ := brd.NetDev()
	st, _ := brd.WifiStations()
	mi, _ := brd.MemInfo()
	L := lua.NewState(lua.Options{SkipOpenLibs: true})
	defer L.Close()
	for _, v := range []struct {
		name string
		v    any
	}{{"interfaces", ifs}, {"netdev", nd}, {"stations", st}, {"meminfo", mi}} {
		for _, c := range []struct {
			name string
			fn   func(*lua.LState, any, int) (lua.LValue, error)
		}{{"direct", structToLua}, {"json", jsonToLua}} {
			b.Run(v.name+"/"+c.name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := c.fn(L, v.v, 32); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// fuzzShape is a struct with the field kinds the board's types use, and
// the ones the direct walk leaves to JSON, for FuzzStructToLua.
type fuzzShape struct {
	Name    string            `json:"name"`
	Opt     string            `json:"opt,omitempty"`
	N       int64             `json:"n"`
	U       uint64            `json:"u,omitempty"`
	U8      uint8             `json:"u8"`
	F       float64           `json:"f"`
	On      bool              `json:"on,omitempty"`
	Ptr     *fuzzShape        `json:"ptr,omitempty"`
	List    []fuzzShape       `json:"list"`
	Fields  map[string]uint64 `json:"fields,omitempty"`
	Any     any               `json:"any"`
	Arr     [2]int32          `json:"arr"`
	private int               // unexported: never in the table
}

// fuzzValue builds a fuzzShape from fuzz input: strings may be invalid
// UTF-8, numbers NaN or huge, pointers and slices nil or nested.
func fuzzValue(s string, n int64, f float64, shape uint8) fuzzShape {
	v := fuzzShape{Name: s, N: n, U: uint64(n) * 3, U8: shape, F: f, On: shape&1 != 0, Arr: [2]int32{int32(n), -1}, private: int(n)}
	if shape&2 != 0 {
		v.Opt = s + s
	}
	if shape&4 != 0 {
		v.Ptr = &fuzzShape{Name: "inner", N: -n, Any: s}
	}
	if shape&8 != 0 {
		v.List = []fuzzShape{{Name: s}, {F: float64(n)}}
	}
	if shape&16 != 0 {
		v.Fields = map[string]uint64{s: uint64(n), "b": 2, "a": 1}
	}
	switch shape >> 5 {
	case 1:
		v.Any = float32(f)
	case 2:
		v.Any = []any{s, n, nil}
	case 3:
		v.Any = map[string]any{s: f}
	case 4:
		v.Any = []byte(s)
	}
	return v
}

// FuzzStructToLua checks that the direct conversion and the JSON round
// trip give the same table, or both an error, for generated values, at
// nesting caps that cut them anywhere.
func FuzzStructToLua(f *testing.F) {
	f.Add("eth0", int64(7), 1.5, uint8(0xff), uint8(32))
	f.Add("bad \xff", int64(-1), math.NaN(), uint8(0x1f), uint8(3))
	f.Add("", int64(1<<60), math.Inf(1), uint8(0x40), uint8(1))
	f.Add("wlan0", int64(1023), math.Copysign(0, -1), uint8(0x9c), uint8(0))
	f.Fuzz(func(t *testing.T, s string, n int64, fl float64, shape, depth uint8) {
		v := fuzzValue(s, n, fl, shape)
		for _, x := range []any{v, &v, []fuzzShape{v, v}, map[string]fuzzShape{s: v}} {
			d, j, errD, errJ := convertBoth(t, x, int(depth%8))
			if errD != nil && errJ != nil {
				// Both fail. With two faults (a NaN past the nesting
				// cap) each names the one it meets first.
				continue
			}
			if d != j || fmt.Sprint(errD) != fmt.Sprint(errJ) {
				t.Fatalf("%#v, depth %d:\ndirect %v %.600s\njson   %v %.600s", x, depth%8, errD, d, errJ, j)
			}
		}
	})
}
