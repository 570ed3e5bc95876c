package store

import (
	"errors"
	"testing"
	"time"
)

func TestRegistry(t *testing.T) {
	clock := newTestClock()
	db := openTest(t, testOptions(t, clock))
	rec := PluginRecord{Name: "wan-latency", Version: "1.2.0", Enabled: true, LastRun: clock.Now(), LastDuration: 3 * time.Millisecond, Runs: 10, Errors: 1}
	before := db.Stats().Commits
	for i := range 50 {
		rec.Runs = uint64(10 + i)
		if err := db.PutPlugin(rec); err != nil {
			t.Fatal(err)
		}
	}
	if c := db.Stats().Commits; c != before {
		t.Fatalf("PutPlugin committed %d times before a flush", c-before)
	}
	got, ok, err := db.Plugin("wan-latency")
	if err != nil || !ok || got.Runs != 59 {
		t.Fatalf("Plugin before flush = %+v, %v, %v", got, ok, err)
	}
	if err := db.PutPlugin(PluginRecord{Name: "dns-check", DisabledReason: "owner"}); err != nil {
		t.Fatal(err)
	}
	if err := db.Flush(); err != nil {
		t.Fatal(err)
	}
	if c := db.Stats().Commits; c != before+1 {
		t.Fatalf("Flush made %d commits, want 1", c-before)
	}
	db = reopen(t, db)
	all, err := db.Plugins()
	if err != nil || len(all) != 2 || all[0].Name != "dns-check" || all[1].Name != "wan-latency" {
		t.Fatalf("Plugins = %+v, %v", all, err)
	}
	w := all[1]
	if w.Runs != 59 || w.Version != "1.2.0" || !w.Enabled || w.LastDuration != 3*time.Millisecond || !w.LastRun.Equal(clock.Now()) {
		t.Fatalf("record after reopen = %+v", w)
	}
	if all[0].Enabled || all[0].DisabledReason != "owner" {
		t.Fatalf("dns-check = %+v", all[0])
	}
	if err := db.DeletePlugin("dns-check"); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := db.Plugin("dns-check"); ok {
		t.Fatal("deleted plugin still there")
	}
	if err := db.PutPlugin(PluginRecord{Name: "../etc"}); !errors.Is(err, ErrBadName) {
		t.Fatalf("bad name: %v", err)
	}
	// Close flushes pending records.
	if err := db.PutPlugin(PluginRecord{Name: "late", Runs: 3}); err != nil {
		t.Fatal(err)
	}
	db = reopen(t, db)
	if late, ok, _ := db.Plugin("late"); !ok || late.Runs != 3 {
		t.Fatalf("record put before Close = %+v, %v", late, ok)
	}
}
