package core

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/heimnetz/heimnetz/web"
)

// TestSettingsRoundTrip: what UpdateSettings accepts, Settings returns;
// what it refuses is web.ErrInvalid and changes nothing.
func TestSettingsRoundTrip(t *testing.T) {
	h := newHarness(t, nil)
	def := h.b.Settings()
	if def.LogLevel != "info" || def.MaxConsecutiveFailures != 3 || def.RequireLoginForPages {
		t.Errorf("default settings %+v", def)
	}
	set := def
	set.LogLevel, set.MaxConsecutiveFailures, set.RequireLoginForPages = "debug", 7, true
	if err := h.b.UpdateSettings(set); err != nil {
		t.Fatal(err)
	}
	if got := h.b.Settings(); got != set {
		t.Errorf("after an update: %+v, want %+v", got, set)
	}
	for _, bad := range []web.Settings{
		{LogLevel: "loud", MaxConsecutiveFailures: 3},
		{LogLevel: "info", MaxConsecutiveFailures: 0},
		{LogLevel: "info", MaxConsecutiveFailures: -1},
		{LogLevel: "info", MaxConsecutiveFailures: 1001},
	} {
		bad.EventRetention = set.EventRetention
		if err := h.b.UpdateSettings(bad); !errors.Is(err, web.ErrInvalid) {
			t.Errorf("update to %+v: %v, want web.ErrInvalid", bad, err)
		}
		if got := h.b.Settings(); got != set {
			t.Errorf("a refused update to %+v changed the settings to %+v", bad, got)
		}
	}
}

// TestSettingsBreaksApply: the breaks setting changed at run time decides
// the next disable, and changing it while plugins break is free of data
// races (run under -race).
func TestSettingsBreaksApply(t *testing.T) {
	h := newHarness(t, nil) // breaks_before_disable 3
	h.writePlugin("breaker", fmt.Sprintf(breakerManifest, "1.0.0"), breakerMain)
	h.setModeBeforeStart("breaker", 'b')
	h.start()
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		s := h.b.Settings()
		for {
			select {
			case <-stop:
				return
			default:
			}
			s.MaxConsecutiveFailures = 50 + time.Now().Nanosecond()%10
			if err := h.b.UpdateSettings(s); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	h.runs("breaker", 1)
	h.next("breaker", 10*time.Second)
	close(stop)
	wg.Wait()
	if !h.record("breaker").Enabled {
		t.Fatal("disabled after 2 breaks with the limit raised to 50 or more")
	}
	s := h.b.Settings()
	s.MaxConsecutiveFailures = 3
	if err := h.b.UpdateSettings(s); err != nil {
		t.Fatal(err)
	}
	h.next("breaker", 10*time.Second)
	waitFor(t, func() bool { return !h.record("breaker").Enabled }, "the plugin to be disabled at the third break")
}
