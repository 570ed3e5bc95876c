package luaplugins

import (
	"hash/maphash"
	"math"
	"unsafe"

	lua "github.com/yuin/gopher-lua"
)

// labelCache remembers, for one of metrics.set and metrics.add in one
// plugin state, which kept series a call's name and label table came to,
// so a collect() that passes the same label tables run after run (the
// bundled plugins keep theirs) skips building a label map and a series
// key and the validation the series passed when it was made.
//
// A table is found by its address, but a hit is decided by its contents:
// each entry the cache saw when it made the series is read from the
// table by name and compared, and the table must hold no other, so a
// plugin that changes a table between calls, or whose table was
// collected and another made at the same address, gets the series of
// what the table holds now. A table the
// cache has not seen (a plugin that builds its labels afresh) is looked
// up by a hash of the name and its contents among the series the cache
// has handed out, and a candidate is used only if its labels are the
// table's, entry by entry. A new series is only ever made by the
// uncached path, so every series limit and label rule applies to it.
//
// The cache keeps no Lua value alive (an address is a number to it) and
// no string of the plugin's (it shares the series' own copies); it holds
// at most max name and table pairs in about maxBytes, starting them
// afresh when full, and
// each kept series once in byContent, and forgets everything when a
// series of the plugin goes away. It lives in the
// module function's closure, so it goes with the plugin's state.
type labelCache struct {
	metrics *PluginMetrics
	gen     uint64 // metrics.gen when the entries were made
	tables  map[uintptr]*cachedTable
	pairs   int // name and table pairs held
	max     int
	bytes   int // what tables holds, about (see the costs below)
	// maxBytes bounds bytes: a quarter of the plugin's metric byte
	// budget (64 KB at the default 500 series), at least 16 KB.
	maxBytes int
	// byContent finds a series by a hash of its name and labels, for a
	// plugin that builds a fresh label table for each call: each kept
	// series at most once, checked label by label on a hit.
	seed      maphash.Seed
	byContent map[uint64][]*series
}

// cachedTable is what one label table held when series were made from
// it, and those series by name. A nil label argument is the table at
// address 0 with no entries.
type cachedTable struct {
	entries []cachedLabel // in the order Next walked them; matches reads them by name
	series  map[string]*series
}

// cachedLabel is one entry of a label table: a string key and a string,
// number or boolean value.
type cachedLabel struct {
	name string
	typ  lua.LValueType
	str  string // a string value
	num  uint64 // a number's bits, a boolean as 0 or 1
}

// What a cached table costs, about, on 64-bit: its map entry, struct and
// series map; each of its entries; each name and series pair.
const (
	cachedTableCost = 160
	cachedLabelCost = 48
	cachedPairCost  = 48
)

// newLabelCache returns an empty cache for m, holding at most as many
// pairs as m may have series (and at least 64) and about a quarter of m's
// metric byte budget.
func newLabelCache(m *PluginMetrics) *labelCache {
	c := &labelCache{metrics: m, max: max(m.max, 64), maxBytes: max(m.maxBytes/4, 16<<10), seed: maphash.MakeSeed()}
	if labelCacheOff {
		c.max = 0
	}
	return c
}

// labelCacheOff makes every labelCache made afterwards a pass-through, so
// tests can compare a plugin's output with and without one.
var labelCacheOff = false

// get returns the kept series that name and the label argument arg (nil
// or a table) denote, or nil when the cache cannot tell.
func (c *labelCache) get(name string, arg lua.LValue) *series {
	if c.max == 0 || c.tables == nil || c.gen != c.metrics.gen.Load() {
		return nil
	}
	addr, ok := tableAddr(arg)
	if !ok {
		return nil
	}
	if ct := c.tables[addr]; ct != nil {
		if s := ct.series[name]; s != nil && ct.matches(arg) {
			return s
		}
	}
	h, n, ok := c.argHash(name, arg)
	if !ok {
		return nil
	}
	for _, s := range c.byContent[h] {
		if s.family == name && len(s.labels) == n && holds(arg, s.labels) {
			return s
		}
	}
	return nil
}

// put records that the label argument arg, as it is now, and the name of
// the kept series s came to s. The entries share the strings of s's
// labels.
func (c *labelCache) put(arg lua.LValue, s *series) {
	addr, ok := tableAddr(arg)
	if !ok || c.max == 0 {
		return
	}
	if gen := c.metrics.gen.Load(); c.tables == nil || c.gen != gen {
		c.tables, c.pairs, c.bytes, c.gen = map[uintptr]*cachedTable{}, 0, 0, gen
		c.byContent = map[uint64][]*series{}
	} else if c.pairs >= c.max || c.bytes >= c.maxBytes {
		c.tables, c.pairs, c.bytes = map[uintptr]*cachedTable{}, 0, 0
	}
	h := c.seriesHash(s)
	if !slicesContains(c.byContent[h], s) {
		// Each kept series once: bounded by the series limit.
		c.byContent[h] = append(c.byContent[h], s)
	}
	ct := c.tables[addr]
	if ct != nil && !ct.matches(arg) {
		// The table changed, or is another one at the same address:
		// what was cached for it is stale.
		c.pairs -= len(ct.series)
		c.bytes -= ct.cost()
		delete(c.tables, addr)
		ct = nil
	}
	if ct == nil {
		entries, ok := snapshotLabels(arg, s.labels)
		if !ok {
			return
		}
		ct = &cachedTable{entries: entries, series: map[string]*series{}}
		c.tables[addr] = ct
		c.bytes += cachedTableCost + cachedLabelCost*len(entries)
	}
	if _, had := ct.series[s.family]; !had {
		c.pairs++
		c.bytes += cachedPairCost
	}
	ct.series[s.family] = s
}

// cost is what ct adds to labelCache.bytes.
func (ct *cachedTable) cost() int {
	return cachedTableCost + cachedLabelCost*len(ct.entries) + cachedPairCost*len(ct.series)
}

// tableAddr returns the address a label argument is cached under: 0 for
// nil, the table's for a table; false for anything else.
func tableAddr(arg lua.LValue) (uintptr, bool) {
	switch t := arg.(type) {
	case *lua.LNilType:
		return 0, true
	case *lua.LTable:
		return uintptr(unsafe.Pointer(t)), true
	}
	return 0, false
}

// snapshotLabels returns the entries of the label argument arg in walk
// order, their strings taken from labels (the series' own copies, sorted
// by name), or false if arg holds anything labels does not.
func snapshotLabels(arg lua.LValue, labels []Label) ([]cachedLabel, bool) {
	t, ok := arg.(*lua.LTable)
	if !ok {
		return nil, len(labels) == 0
	}
	entries := make([]cachedLabel, 0, len(labels))
	for k, v := t.Next(lua.LNil); k != lua.LNil; k, v = t.Next(k) {
		ks, ok := k.(lua.LString)
		if !ok || len(entries) == len(labels) {
			return nil, false
		}
		var own *Label
		for i := range labels {
			if labels[i].Name == string(ks) {
				own = &labels[i]
				break
			}
		}
		if own == nil {
			return nil, false
		}
		e := cachedLabel{name: own.Name, typ: v.Type()}
		switch v := v.(type) {
		case lua.LString:
			if string(v) != own.Value {
				return nil, false
			}
			e.str = own.Value
		case lua.LNumber:
			if v.String() != own.Value {
				return nil, false
			}
			e.num = math.Float64bits(float64(v))
		case lua.LBool:
			if v.String() != own.Value {
				return nil, false
			}
			if v {
				e.num = 1
			}
		default:
			return nil, false
		}
		entries = append(entries, e)
	}
	if len(entries) != len(labels) {
		return nil, false
	}
	return entries, true
}

// matches reports whether the label argument arg holds exactly the
// entries ct saw: the same string keys, no other key, each with a value
// of the same type and content. It reads the entries by name (patch 20's
// StringKeyCount), so a table of any size costs one look-up per label.
func (ct *cachedTable) matches(arg lua.LValue) bool {
	t, ok := arg.(*lua.LTable)
	if !ok {
		return len(ct.entries) == 0
	}
	if n, only := t.StringKeyCount(); !only || n != len(ct.entries) {
		return false
	}
	for i := range ct.entries {
		e := &ct.entries[i]
		switch v := t.RawGetString(e.name).(type) {
		case lua.LString:
			if e.typ != lua.LTString || string(v) != e.str {
				return false
			}
		case lua.LNumber:
			if e.typ != lua.LTNumber || math.Float64bits(float64(v)) != e.num {
				return false
			}
		case lua.LBool:
			if e.typ != lua.LTBool || (e.num == 1) != bool(v) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// slicesContains reports whether ss holds s.
func slicesContains(ss []*series, s *series) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// labelHash is one label's part of a content hash; the parts are added,
// so the hash does not depend on the order of the labels.
func (c *labelCache) labelHash(name, value string) uint64 {
	return maphash.String(c.seed, name)*0x9e3779b97f4a7c15 + maphash.String(c.seed, value)
}

// seriesHash is the content hash of the kept series s.
func (c *labelCache) seriesHash(s *series) uint64 {
	h := maphash.String(c.seed, s.family)
	for _, l := range s.labels {
		h += c.labelHash(l.Name, l.Value)
	}
	return h
}

// argHash is the content hash of name and the label argument arg (nil or
// a table of string keys and string or boolean values; a number's label
// text would need formatting, so such a table is left to the uncached
// path), and the number of labels; false when arg cannot be hashed. The
// hash does not depend on the order of the entries, so the table is
// walked as its map holds it (ForEachString), not with Next, which
// would build a key index in every fresh table (patch 18).
func (c *labelCache) argHash(name string, arg lua.LValue) (uint64, int, bool) {
	h := maphash.String(c.seed, name)
	t, ok := arg.(*lua.LTable)
	if !ok {
		return h, 0, true
	}
	n, only := t.StringKeyCount()
	if !only || n > MaxLabels {
		return 0, 0, false
	}
	ok = true
	t.ForEachString(func(k string, v lua.LValue) {
		vs, good := labelString(v)
		if !good {
			ok = false
			return
		}
		h += c.labelHash(k, vs)
	})
	if !ok {
		return 0, 0, false
	}
	return h, n, true
}

// labelString is the label text of a string or boolean value.
func labelString(v lua.LValue) (string, bool) {
	switch v := v.(type) {
	case lua.LString:
		return string(v), true
	case lua.LBool:
		if v {
			return "true", true
		}
		return "false", true
	}
	return "", false
}

// holds reports whether the label argument arg, a table of as many
// string keys as labels has (argHash counted them), holds each of labels
// (names are unique in both, so the two are the same set).
func holds(arg lua.LValue, labels []Label) bool {
	t, ok := arg.(*lua.LTable)
	if !ok {
		return len(labels) == 0
	}
	for _, l := range labels {
		vs, ok := labelString(t.RawGetString(l.Name))
		if !ok || vs != l.Value {
			return false
		}
	}
	return true
}
