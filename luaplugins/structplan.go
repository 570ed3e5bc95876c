package luaplugins

import (
	"encoding"
	"encoding/json"
	"reflect"
	"sort"
	"strings"
)

// structField is one JSON field of a struct type.
type structField struct {
	name      string
	index     []int
	omitEmpty bool
	// at is index[0] for a field of the struct itself (reflect's Field,
	// cheaper than FieldByIndex), -1 for one promoted from an embedded
	// struct.
	at   int
	conv *typeConv // converts the field's type; set by buildConv
}

// structPlan is the fields of a struct type in name order, or ok false
// for a type the direct walk does not cover.
type structPlan struct {
	fields  []structField
	ok      bool
	anyOmit bool // some field is omitempty: the table's size needs a count
}

var (
	jsonMarshaler = reflect.TypeFor[json.Marshaler]()
	textMarshaler = reflect.TypeFor[encoding.TextMarshaler]()
)

// ownForm reports whether t (or *t) chooses its own JSON or text form.
func ownForm(t reflect.Type) bool {
	p := reflect.PointerTo(t)
	return t.Implements(jsonMarshaler) || t.Implements(textMarshaler) || p.Implements(jsonMarshaler) || p.Implements(textMarshaler)
}

// planOf returns the plan of struct type t, without the fields'
// converters (buildConv adds them).
func planOf(t reflect.Type) *structPlan {
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
			sf := structField{name: name, index: idx, omitEmpty: strings.Contains(","+opts+",", ",omitempty,"), at: -1}
			all = append(all, candidate{sf, depth, tagged})
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
	for i := range p.fields {
		f := &p.fields[i]
		if len(f.index) == 1 {
			f.at = f.index[0]
		}
		p.anyOmit = p.anyOmit || f.omitEmpty
	}
	return p
}

// field returns the value of f in the struct value v.
func (f *structField) field(v reflect.Value) reflect.Value {
	if f.at >= 0 {
		return v.Field(f.at)
	}
	return v.FieldByIndex(f.index)
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
