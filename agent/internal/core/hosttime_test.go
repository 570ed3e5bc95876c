package core

import (
	"reflect"
	"testing"
	"time"

	"github.com/heimnetz/heimnetz/board"
	"github.com/heimnetz/heimnetz/luaplugins"
)

// TestTimedBoardCountsEveryMethod calls every method of the board a
// plugin sees through the wrapper: each adds its time, and each answers
// as the board does.
func TestTimedBoardCountsEveryMethod(t *testing.T) {
	brd, err := board.New(fixtureBoard)
	if err != nil {
		t.Fatal(err)
	}
	var ht hostTime
	timed := reflect.ValueOf(timedBoard{b: brd, t: &ht})
	direct := reflect.ValueOf(luaplugins.Board(brd))
	n := reflect.TypeFor[luaplugins.Board]().NumMethod()
	if timed.NumMethod() != n {
		t.Fatalf("timedBoard has %d methods, luaplugins.Board %d", timed.NumMethod(), n)
	}
	for i := range n {
		name := timed.Type().Method(i).Name
		m := timed.Method(i)
		args := make([]reflect.Value, m.Type().NumIn())
		for j := range args {
			args[j] = reflect.Zero(m.Type().In(j))
		}
		before := ht.total()
		got := m.Call(args)
		if ht.total() <= before {
			t.Errorf("%s: no host time counted", name)
		}
		switch name {
		case "Clock", "WANProbe", "Filesystems":
			continue // the time, or a hung mount the fixture remembers: differ call to call
		}
		want := direct.MethodByName(name).Call(args)
		if !reflect.DeepEqual(valuesOf(got), valuesOf(want)) {
			t.Errorf("%s through the wrapper: %v, the board: %v", name, valuesOf(got), valuesOf(want))
		}
	}
}

func valuesOf(vs []reflect.Value) []any {
	out := make([]any, len(vs))
	for i, v := range vs {
		out[i] = v.Interface()
	}
	return out
}

// TestTimedKVCountsBlockedTime: a kv call that blocks adds the time it
// blocked, CPU or not.
func TestTimedKVCountsBlockedTime(t *testing.T) {
	m := &Manager{}
	var ht hostTime
	kv, _, _, _ := m.hostEnv(&ht, slowKV{delay: 10 * time.Millisecond})
	for _, call := range []func(){
		func() { kv.Get("a") },
		func() { kv.Set("a", "b") },
		func() { kv.Delete("a") },
		func() { kv.Keys() },
	} {
		call()
	}
	if got := ht.total(); got < 40*time.Millisecond {
		t.Errorf("four kv calls of 10 ms each: %v counted, want at least 40ms", got)
	}
}
