package luaplugins

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/heimnetz/heimnetz/limits"
)

// loadWithContext loads main with ctx as Env.Context and a long wall-time
// limit, so only the context can end its calls.
func loadWithContext(t *testing.T, ctx context.Context, main string) (*Plugin, error) {
	t.Helper()
	lim := limits.Defaults()
	lim.Instructions = 0 // no instruction limit: the loop runs until stopped
	lim.Timeout = time.Hour
	src := &Source{Origin: "test", Main: []byte(main), Manifest: &Manifest{Name: "t", Version: "1.0.0", Interval: time.Minute, Limits: lim}}
	p, _, err := Load(src, Env{Context: ctx, Log: LogFunc(func(string, string, string) {})})
	if p != nil {
		t.Cleanup(p.Close)
	}
	return p, err
}

// TestContextStopsCalls: a context done while collect() loops ends that
// call with ErrStopped, and every later call too; calls before it run.
func TestContextStopsCalls(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	p, err := loadWithContext(t, ctx, `
n = 0
function collect() n = n + 1 end
function spin() while true do end end`)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, err := p.Collect(); err != nil {
			t.Fatalf("before the context is done: %v", err)
		}
	}
	done := make(chan error, 1)
	go func() {
		_, err := p.CallGlobal("spin")
		done <- err
	}()
	// spin runs until stopped; cancelling while it may not have begun
	// yet must stop it all the same.
	cancel()
	if err := <-done; !errors.Is(err, ErrStopped) {
		t.Errorf("the spinning call ended with %v, want ErrStopped", err)
	}
	for range 2 {
		if _, err := p.Collect(); !errors.Is(err, ErrStopped) {
			t.Errorf("a call after the context is done ended with %v, want ErrStopped", err)
		}
	}
}

// TestContextDoneBeforeLoad: a plugin loaded with a context already done
// does not run its top-level chunk to the end.
func TestContextDoneBeforeLoad(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := loadWithContext(t, ctx, `while true do end`)
	if !errors.Is(err, ErrStopped) {
		t.Errorf("Load ended with %v, want ErrStopped", err)
	}
}

// TestTimerReusedAcrossCalls: the wall-time timer, reused from call to
// call, still stops a call that runs past its limit after many that did
// not, and the call after that one runs.
func TestTimerReusedAcrossCalls(t *testing.T) {
	p, _, err := load(t, `
function collect() end
function spin() while true do end end`)
	if err != nil {
		t.Fatal(err)
	}
	p.src.Manifest.Limits.Instructions = 0
	p.src.Manifest.Limits.Timeout = 50 * time.Millisecond
	for range 100 {
		if _, err := p.Collect(); err != nil {
			t.Fatal(err)
		}
	}
	_, err = p.CallGlobal("spin")
	var v *limits.Violation
	if !errors.As(err, &v) || v.Kind != limits.ErrTimeout {
		t.Fatalf("spin ended with %v, want a time limit violation", err)
	}
	if _, err := p.Collect(); err != nil {
		t.Errorf("the call after the timeout: %v", err)
	}
}
