package core

import (
	"context"
	"testing"
	"time"
)

func TestRunSlots(t *testing.T) {
	r := &runSlots{slots: make(chan struct{}, 2), wait: time.Millisecond}
	first, second := r.take(context.Background()), r.take(context.Background())
	if n := len(r.slots); n != 2 {
		t.Fatalf("two takes hold %d slots, want 2", n)
	}
	// Full: a call runs anyway after the wait, without a slot, and gives
	// nothing back.
	extra := r.take(context.Background())
	extra()
	if n := len(r.slots); n != 2 {
		t.Fatalf("after a take past the wait: %d slots held, want 2", n)
	}
	// Full and stopped: no wait at all (r.wait is long here).
	r.wait = time.Hour
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r.take(ctx)()
	if n := len(r.slots); n != 2 {
		t.Fatalf("after a stopped take: %d slots held, want 2", n)
	}
	// A slot given back is taken by the next call without waiting.
	first()
	third := r.take(context.Background())
	if n := len(r.slots); n != 2 {
		t.Fatalf("after give back and take: %d slots held, want 2", n)
	}
	second()
	third()
	if n := len(r.slots); n != 0 {
		t.Fatalf("all given back: %d slots held, want 0", n)
	}
}

func TestNewRunSlotsAtLeastTwo(t *testing.T) {
	if c := cap(newRunSlots().slots); c < 2 {
		t.Fatalf("newRunSlots has %d slots, want at least 2", c)
	}
}
