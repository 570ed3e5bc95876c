package lua

// heimnetz patch: Recount walks every Lua object reachable from a state
// (see PATCHES.md).

import (
	"math"
	"sync/atomic"
	"unsafe"
)

// recounter is one walk over a state's objects. The walk is iterative (an
// explicit work list), so deep structures cannot overflow the Go stack, and
// visits every table, function, proto, upvalue, userdata, thread and long
// string once, so cycles and shared values are counted once: tables and
// functions carry the generation of the last walk that visited them
// (patch 19), the others are kept in a visited set keyed by pointer.
// The generation is 32 bits, so that neither type grows, on 32-bit
// targets either; after 2^32 walks in one process, when generations
// would repeat, tables and functions go to the visited set too.
//
// A meter keeps its recounter between walks (patch 19), so the set and
// the work lists are allocated once, not per walk; both are emptied at the
// end of each walk, so they keep nothing alive in between.
type recounter struct {
	m      *Meter
	gen    uint32
	marks  bool // gen is unique: tables and functions are marked with it
	seen   map[unsafe.Pointer]struct{}
	work   []LValue
	protos []*FunctionProto
	bytes  int64
}

// recountGen numbers the walks of all meters (patch 19), so a mark left by
// one walk never equals that of another, whichever state it was in.
var recountGen atomic.Uint64

// The visited set starts small: with tables and functions marked, a
// bundled plugin's walk puts 1 to 11 values in it (protos, upvalues,
// long strings), and what a meter keeps between walks is memory no plugin
// is charged for.
//
// keptRecounter bounds what a meter keeps between walks, which no plugin
// is charged for (at most a visited set and work lists of 512 entries, a
// few tens of KB; patch 23 lowered it from 4096, whose visited set could
// hold ~190 KB): a walk that needed more leaves it to the garbage
// collector rather than holding it for good.
const keptRecounter = 512

// Recount walks every Lua object reachable from the state of ls (globals,
// registry, the data and call stacks of all live threads, upvalues,
// metatables including the builtin ones, function protos and their
// constants), returns the estimated bytes, and makes that the new baseline
// of MemoryInUse. Tables it finds are charged to m from then on.
func (m *Meter) Recount(ls *LState) int64 {
	if m.main == nil {
		m.main = ls
	}
	m.recounting = true
	r := m.recounter
	if r == nil {
		r = &recounter{m: m, seen: make(map[unsafe.Pointer]struct{}, 16)}
		m.recounter = r
	}
	defer func() {
		r.reset()
		m.recounting = false
	}()
	n := recountGen.Add(1)
	r.gen, r.marks = uint32(n), n <= math.MaxUint32
	r.bytes = 0
	g := ls.G
	r.push(g.Registry)
	r.push(g.Global)
	for _, mt := range g.builtinMts {
		r.push(mt)
	}
	if g.MainThread != nil {
		r.push(g.MainThread)
	}
	if g.CurrentThread != nil {
		r.push(g.CurrentThread)
	}
	r.push(ls)
	if m.main != ls {
		r.push(m.main)
	}
	for len(r.work) > 0 {
		v := r.work[len(r.work)-1]
		r.work = r.work[:len(r.work)-1]
		r.visit(v)
	}
	m.inUse = r.bytes + m.held
	if m.inUse > m.peak {
		m.peak = m.inUse
	}
	m.recounts++
	return r.bytes
}

// reset empties the recounter after a walk (or drops what is too large
// to keep), so it holds no Lua object until the next.
func (r *recounter) reset() {
	if len(r.seen) > keptRecounter {
		r.seen = make(map[unsafe.Pointer]struct{}, 16)
	} else {
		clear(r.seen)
	}
	if cap(r.work) > keptRecounter {
		r.work = nil
	} else {
		clear(r.work[:cap(r.work)])
		r.work = r.work[:0]
	}
	if cap(r.protos) > keptRecounter {
		r.protos = nil
	} else {
		clear(r.protos[:cap(r.protos)])
		r.protos = r.protos[:0]
	}
}

// push schedules v; values without heap objects are counted right away.
func (r *recounter) push(v LValue) {
	switch lv := v.(type) {
	case nil, *LNilType, LBool:
	case LNumber:
		r.bytes += numberBytes
	case LString:
		r.str(string(lv))
	case *LTable:
		if lv != nil {
			r.work = append(r.work, v)
		}
	case *LFunction:
		if lv != nil {
			r.work = append(r.work, v)
		}
	case *LState:
		if lv != nil {
			r.work = append(r.work, v)
		}
	case *LUserData:
		if lv != nil {
			r.work = append(r.work, v)
		}
	default:
		r.bytes += slotBytes
	}
}

// mark reports whether p is seen for the first time.
func (r *recounter) mark(p unsafe.Pointer) bool {
	if _, ok := r.seen[p]; ok {
		return false
	}
	r.seen[p] = struct{}{}
	return true
}

// str counts a string; long strings are counted once per backing array.
func (r *recounter) str(s string) {
	if len(s) >= smallString && !r.mark(unsafe.Pointer(unsafe.StringData(s))) {
		r.bytes += stringHdrBytes
		return
	}
	r.bytes += stringHdrBytes + int64(len(s))
}

func (r *recounter) visit(v LValue) {
	switch lv := v.(type) {
	case *LTable:
		r.table(lv)
	case *LFunction:
		r.function(lv)
	case *LState:
		r.thread(lv)
	case *LUserData:
		if !r.mark(unsafe.Pointer(lv)) {
			return
		}
		r.bytes += userDataBytes
		if lv.Env != nil {
			r.push(lv.Env)
		}
		r.push(lv.Metatable)
		if inner, ok := lv.Value.(LValue); ok {
			r.push(inner)
		}
		if md, ok := lv.Value.(*strMatchData); ok { // gmatch's pending matches
			r.bytes += int64(len(md.matches)) * matchBytes
		}
	}
}

func (r *recounter) table(tb *LTable) {
	if r.marks {
		if tb.recountGen == r.gen {
			return
		}
		tb.recountGen = r.gen
	} else if !r.mark(unsafe.Pointer(tb)) {
		return
	}
	if tb.meter == nil {
		tb.meter = r.m
	}
	r.bytes += tableBytes + int64(cap(tb.array))*slotBytes
	for _, v := range tb.array {
		r.push(v)
	}
	if tb.strdict != nil {
		r.bytes += mapBaseBytes
		for _, v := range tb.strdict {
			r.push(v)
		}
	}
	if tb.dict != nil {
		r.bytes += mapBaseBytes
		for _, v := range tb.dict {
			r.push(v)
		}
	}
	// heimnetz patch 16: keys holds every live key and the deleted ones
	// kept for next() until compactKeys drops them (patch 15); a deleted
	// key still holds its string, table or function, so all are counted.
	for _, k := range tb.keys {
		r.push(k)
	}
	for _, s := range tb.sorder { // patch 18: the keys before orderKeys
		r.str(s)
	}
	// keys, k2i and the maps keep their slots until compactKeys rebuilds
	// them, so every entry still in k2i is held.
	entries := len(tb.k2i)
	if n := len(tb.strdict) + len(tb.dict); n > entries {
		entries = n
	}
	r.bytes += int64(entries) * hashEntryBytes
	// patch 23: the room a table was made with is held whether or not
	// keys were set in it ({a = nil, b = nil, ...} makes room for both).
	if h := int(tb.hint); h > entries {
		r.bytes += int64(h-entries) * reservedEntryBytes
	}
	r.push(tb.Metatable)
}

func (r *recounter) function(fn *LFunction) {
	if r.marks {
		if fn.recountGen == r.gen {
			return
		}
		fn.recountGen = r.gen
	} else if !r.mark(unsafe.Pointer(fn)) {
		return
	}
	r.bytes += functionBytes + int64(cap(fn.Upvalues))*8
	if fn.Env != nil {
		r.push(fn.Env)
	}
	for _, uv := range fn.Upvalues {
		if uv == nil || !r.mark(unsafe.Pointer(uv)) {
			continue
		}
		r.bytes += upvalueBytes
		r.push(uv.Value())
	}
	if fn.Proto != nil {
		r.proto(fn.Proto)
	}
}

func (r *recounter) proto(p *FunctionProto) {
	r.protos = append(r.protos[:0], p)
	for len(r.protos) > 0 {
		p := r.protos[len(r.protos)-1]
		r.protos = r.protos[:len(r.protos)-1]
		if !r.mark(unsafe.Pointer(p)) {
			continue
		}
		r.bytes += protoSize(p)
		for _, c := range p.Constants {
			r.push(c)
		}
		r.protos = append(r.protos, p.FunctionPrototypes...)
	}
}

func (r *recounter) thread(th *LState) {
	if !r.mark(unsafe.Pointer(th)) {
		return
	}
	if th.stack == nil || th.reg == nil {
		r.bytes += stateBytes
		return
	}
	r.bytes += threadBytes(cap(th.reg.array), th.Options.CallStackSize)
	top := th.reg.top
	if top > len(th.reg.array) {
		top = len(th.reg.array)
	}
	for _, v := range th.reg.array[:top] {
		r.push(v)
	}
	for i := 0; i < th.stack.Sp(); i++ {
		if fn := th.stack.At(i).Fn; fn != nil {
			r.push(fn)
		}
	}
	if th.Env != nil {
		r.push(th.Env)
	}
	if th.Parent != nil {
		r.push(th.Parent)
	}
}
