package lua

import (
	"math"
	"sync"
	"testing"
)

// recountProgram builds what a recount must find: shared and cyclic
// tables, closures with upvalues, a coroutine, long strings referenced
// many times and a table holding the builtin libraries.
const recountProgram = `
big = string.rep("q", 100000)
refs = {} for i = 1, 200 do refs[i] = big end
local a, b = {}, {} a.b = b b.a = a a.self = a cyc = a
fns = {} for i = 1, 50 do local x = {i} fns[i] = function() return x, big end end
co = coroutine.create(function(...) coroutine.yield(...) end) coroutine.resume(co, big, refs)
libs = {string, table, math, _G}
`

// TestRecountKeptBetweenWalks checks patch 19: a meter's recounter is
// reused, so every walk must find what a fresh one finds. Repeated
// recounts of one state, recounts interleaved with another state's, and
// a state's first recount all give the same figure; after each walk the
// kept recounter holds no object.
func TestRecountKeptBetweenWalks(t *testing.T) {
	L1, m1 := newMeteredState(t, 0)
	L2, m2 := newMeteredState(t, 0)
	for _, L := range []*LState{L1, L2} {
		if err := runChunk(L, recountProgram); err != nil {
			t.Fatal(err)
		}
	}
	first := m1.Recount(L1)
	if first < 100000 {
		t.Fatalf("first recount %d bytes, want the 100,000-byte string in it", first)
	}
	for i := range 5 {
		if got := m1.Recount(L1); got != first {
			t.Fatalf("recount %d of the same state: %d bytes, first %d", i+2, got, first)
		}
		if got := m2.Recount(L2); got != first {
			t.Fatalf("recount %d of an equal state in between: %d bytes, want %d", i+1, got, first)
		}
	}
	// A fresh meter on the same state (its own first walk) agrees.
	fresh := NewMeter()
	if got := fresh.Recount(L1); got != first {
		t.Fatalf("fresh meter: %d bytes, kept %d", got, first)
	}
	for _, m := range []*Meter{m1, m2, fresh} {
		r := m.recounter
		if len(r.seen) != 0 || len(r.work) != 0 || len(r.protos) != 0 {
			t.Fatalf("after a walk: %d seen, %d work, %d protos kept", len(r.seen), len(r.work), len(r.protos))
		}
		for i, v := range r.work[:cap(r.work)] {
			if v != nil {
				t.Fatalf("work slot %d still holds %v", i, v)
			}
		}
		for i, p := range r.protos[:cap(r.protos)] {
			if p != nil {
				t.Fatalf("protos slot %d still holds a proto", i)
			}
		}
	}
}

// TestRecountLargeStateNotKept checks that a walk over many objects does
// not leave its large visited set and work list with the meter.
func TestRecountLargeStateNotKept(t *testing.T) {
	L, m := newMeteredState(t, 0)
	if err := runChunk(L, `t = {} for i = 1, 10000 do t[i] = {string.rep("s", 40) .. i} end`); err != nil {
		t.Fatal(err)
	}
	before := m.Recount(L)
	if r := m.recounter; cap(r.work) > keptRecounter || len(r.seen) != 0 {
		t.Fatalf("kept a work list of %d slots and %d seen entries", cap(r.work), len(r.seen))
	}
	if after := m.Recount(L); after != before {
		t.Fatalf("second recount %d bytes, first %d", after, before)
	}
}

// TestRecountConcurrentStates recounts separate states at the same time
// (as the agent's plugins do on their own goroutines): each gets its own
// figure, under the race detector too.
func TestRecountConcurrentStates(t *testing.T) {
	const states = 4
	var ls [states]*LState
	var ms [states]*Meter
	var want [states]int64
	for i := range states {
		ls[i], ms[i] = newMeteredState(t, 0)
		if err := runChunk(ls[i], recountProgram); err != nil {
			t.Fatal(err)
		}
		want[i] = ms[i].Recount(ls[i])
	}
	var wg sync.WaitGroup
	errs := make(chan string, states)
	for i := range states {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				if got := ms[i].Recount(ls[i]); got != want[i] {
					errs <- "state recounted differently while others recounted"
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Fatal(e)
	}
}

// TestRecountPastGenerations checks the walks after 2^32 of them in one
// process, when a 32-bit mark could repeat: they count with the visited
// set alone and find what the walks before found.
func TestRecountPastGenerations(t *testing.T) {
	L, m := newMeteredState(t, 0)
	if err := runChunk(L, recountProgram); err != nil {
		t.Fatal(err)
	}
	want := m.Recount(L)
	saved := recountGen.Load()
	// Only this test's states are walked from here until the counter is
	// put back, and their marks are above saved, so none repeats later.
	defer recountGen.Store(saved)
	recountGen.Store(math.MaxUint32 - 1)
	for i := range 4 {
		if got := m.Recount(L); got != want {
			t.Fatalf("walk %d around 2^32: %d bytes, want %d", i+1, got, want)
		}
		if r := m.recounter; r.marks != (i == 0) {
			t.Fatalf("walk %d around 2^32: marks %v", i+1, r.marks)
		}
	}
}
