package core

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

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
			s.BreaksBeforeDisable = 50 + time.Now().Nanosecond()%10
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
	s.BreaksBeforeDisable = 3
	if err := h.b.UpdateSettings(s); err != nil {
		t.Fatal(err)
	}
	h.next("breaker", 10*time.Second)
	waitFor(t, func() bool { return !h.record("breaker").Enabled }, "the plugin to be disabled at the third break")
}
