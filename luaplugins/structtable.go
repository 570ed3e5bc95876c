package luaplugins

import (
	"encoding"
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	lua "github.com/yuin/gopher-lua"
)

// This file converts the board's Go structs to Lua tables directly, with
// the result structToLua's JSON round trip (encoding/json's field names,
// omitempty, embedded fields, null for nil, numbers as float64, keys set
// in sorted order) gives. The round trip was a fifth of a collection
// round's CPU time. A value the direct walk does not cover exactly (a type
// with its own JSON or text form, float32, NaN, invalid UTF-8, []byte, …)
// makes it give up, and structToLua takes the round trip as before.

// errIndirect makes structToLua fall back to the JSON round trip.
var errIndirect = errors.New("not convertible directly")

// structField is one JSON field of a struct type.
type structField struct {
	name      string
	index     []int
	omitEmpty bool
}

// structPlan is the fields of a struct type in name order, or ok false
// for a type the direct walk does not cover.
type structPlan struct {
	fields []structField
	ok     bool
}

// structPlans caches a *structPlan per reflect.Type.
var structPlans sync.Map

var (
	jsonMarshaler = reflect.TypeFor[json.Marshaler]()
	textMarshaler = reflect.TypeFor[encoding.TextMarshaler]()
)

// ownForm reports whether t (or *t) chooses its own JSON or text form.
func ownForm(t reflect.Type) bool {
	p := reflect.PointerTo(t)
	return t.Implements(jsonMarshaler) || t.Implements(textMarshaler) || p.Implements(jsonMarshaler) || p.Implements(textMarshaler)
}

// planOf returns the plan of struct type t.
func planOf(t reflect.Type) *structPlan {
	if p, ok := structPlans.Load(t); ok {
		return p.(*structPlan)
	}
	p := &structPlan{ok: true}
	type candidate struct {
		structField
		depth  int
		tagged bool
	}
	var all []candidate
	var walk func(t reflect.Type, index []int, depth int)
	walk = func(t reflect.Type, index []int, depth int) {
		for i := range t.NumField() {
			f := t.Field(i)
			tag := f.Tag.Get("json")
			if tag == "-" {
				continue
			}
			name, opts, _ := strings.Cut(tag, ",")
			for _, o := range strings.Split(opts, ",") {
				if o != "" && o != "omitempty" {
					p.ok = false // string, omitzero, …
				}
			}
			idx := append(append([]int(nil), index...), i)
			if f.Anonymous && name == "" {
				ft := f.Type
				if ft.Kind() == reflect.Pointer {
					p.ok = false
					continue
				}
				if ft.Kind() == reflect.Struct {
					if ownForm(ft) {
						p.ok = false
					}
					walk(ft, idx, depth+1)
					continue
				}
			}
			if !f.IsExported() {
				continue
			}
			if name != "" && strings.ContainsAny(name, "\"\\") {
				p.ok = false
			}
			tagged := name != ""
			if !tagged {
				name = f.Name
			}
			all = append(all, candidate{structField{name, idx, strings.Contains(","+opts+",", ",omitempty,")}, depth, tagged})
		}
	}
	walk(t, nil, 0)
	// encoding/json's rule: of the fields with one name, the shallowest
	// wins; at equal depth a single tagged one wins; else none does.
	byName := map[string][]candidate{}
	for _, c := range all {
		byName[c.name] = append(byName[c.name], c)
	}
	for _, cs := range byName {
		minDepth := cs[0].depth
		for _, c := range cs {
			minDepth = min(minDepth, c.depth)
		}
		var top []candidate
		for _, c := range cs {
			if c.depth == minDepth {
				top = append(top, c)
			}
		}
		if len(top) > 1 {
			var tagged []candidate
			for _, c := range top {
				if c.tagged {
					tagged = append(tagged, c)
				}
			}
			top = tagged
		}
		if len(top) == 1 {
			p.fields = append(p.fields, top[0].structField)
		}
	}
	sort.Slice(p.fields, func(i, j int) bool { return p.fields[i].name < p.fields[j].name })
	actual, _ := structPlans.LoadOrStore(t, p)
	return actual.(*structPlan)
}

// isEmptyJSON is encoding/json's omitempty test.
func isEmptyJSON(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool:
		return !v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int() == 0
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return v.Uint() == 0
	case reflect.Float32, reflect.Float64:
		return v.Float() == 0
	case reflect.Interface, reflect.Pointer:
		return v.IsNil()
	}
	return false
}

// directToLua converts v as structToLua would, or returns errIndirect.
// depth counts JSON levels as toLua does.
func directToLua(L *lua.LState, v reflect.Value, depth int) (lua.LValue, error) {
	if !v.IsValid() {
		return lua.LNil, depthCheck(depth)
	}
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return lua.LNil, depthCheck(depth)
		}
		if v.Kind() == reflect.Pointer && ownForm(v.Type().Elem()) {
			return lua.LNil, errIndirect
		}
		v = v.Elem()
	}
	if err := depthCheck(depth); err != nil {
		return lua.LNil, err
	}
	if ownForm(v.Type()) {
		return lua.LNil, errIndirect
	}
	switch v.Kind() {
	case reflect.Bool:
		return lua.LBool(v.Bool()), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return lua.LNumber(float64(v.Int())), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return lua.LNumber(float64(v.Uint())), nil
	case reflect.Float64:
		f := v.Float()
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return lua.LNil, errIndirect
		}
		return lua.LNumber(f), nil
	case reflect.String:
		s := v.String()
		if !utf8.ValidString(s) {
			return lua.LNil, errIndirect
		}
		return lua.LString(s), nil
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return lua.LNil, errIndirect // base64 in JSON
		}
		if v.Kind() == reflect.Slice && v.IsNil() {
			return lua.LNil, nil
		}
		t := L.CreateTable(v.Len(), 0)
		for i := range v.Len() {
			lv, err := directToLua(L, v.Index(i), depth-1)
			if err != nil {
				return lua.LNil, err
			}
			t.Append(lv)
		}
		return t, nil
	case reflect.Map:
		if v.Type().Key().Kind() != reflect.String || ownForm(v.Type().Key()) {
			return lua.LNil, errIndirect
		}
		if v.IsNil() {
			return lua.LNil, nil
		}
		keys := make([]string, 0, v.Len())
		for _, k := range v.MapKeys() {
			if !utf8.ValidString(k.String()) {
				return lua.LNil, errIndirect
			}
			keys = append(keys, k.String())
		}
		sort.Strings(keys)
		t := L.CreateTable(0, len(keys))
		for _, k := range keys {
			lv, err := directToLua(L, v.MapIndex(reflect.ValueOf(k).Convert(v.Type().Key())), depth-1)
			if err != nil {
				return lua.LNil, err
			}
			t.RawSetString(k, lv)
		}
		return t, nil
	case reflect.Struct:
		p := planOf(v.Type())
		if !p.ok {
			return lua.LNil, errIndirect
		}
		n := 0
		for _, f := range p.fields {
			if !f.omitEmpty || !isEmptyJSON(v.FieldByIndex(f.index)) {
				n++
			}
		}
		t := L.CreateTable(0, n)
		for _, f := range p.fields {
			fv := v.FieldByIndex(f.index)
			if f.omitEmpty && isEmptyJSON(fv) {
				continue
			}
			lv, err := directToLua(L, fv, depth-1)
			if err != nil {
				return lua.LNil, err
			}
			t.RawSetString(f.name, lv)
		}
		return t, nil
	}
	return lua.LNil, errIndirect
}

// errNestedTooDeeply is toLua's error for a value past the nesting cap.
var errNestedTooDeeply = errors.New("value nested too deeply")

// depthCheck is toLua's nesting cap.
func depthCheck(depth int) error {
	if depth < 0 {
		return errNestedTooDeeply
	}
	return nil
}
