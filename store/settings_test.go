package store

import (
	"fmt"
	"strings"
	"testing"
)

func TestSettingsRecordSurvivesReopen(t *testing.T) {
	db := openTest(t, testOptions(t, nil))
	if _, ok, err := db.Settings(); ok || err != nil {
		t.Fatalf("new store: settings ok=%v err=%v, want none", ok, err)
	}
	for _, rec := range []string{`{"log_level":"debug"}`, `{"log_level":"warn","event_retention":50}`} {
		if err := db.PutSettings([]byte(rec)); err != nil {
			t.Fatal(err)
		}
	}
	db = reopen(t, db)
	got, ok, err := db.Settings()
	if !ok || err != nil || string(got) != `{"log_level":"warn","event_retention":50}` {
		t.Fatalf("after reopen: %q ok=%v err=%v, want the last record", got, ok, err)
	}
	if err := db.PutSettings([]byte(strings.Repeat("x", MaxSettingsLen+1))); err == nil {
		t.Fatal("an oversized settings record was stored")
	}
}

func TestSetMaxEvents(t *testing.T) {
	db := openTest(t, testOptions(t, nil))
	for i := range 100 {
		if _, err := db.AppendEvent(Event{Type: "t", Message: fmt.Sprintf("event %d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	// These are audit events, which keep nine tenths of the ring (the
	// last tenth is noise's: eventring.go).
	tests := []struct {
		max, want int
	}{
		{50, 45},  // a smaller bound drops the oldest now
		{200, 45}, // a larger one keeps what is there
		{10, 9},
	}
	for _, tc := range tests {
		db.SetMaxEvents(tc.max)
		kept, _, _ := db.EventStats()
		evs, err := db.Events(0, 0)
		if kept != tc.want || err != nil || len(evs) != tc.want || evs[0].Seq != 100 || db.Options().MaxEvents != tc.max {
			t.Fatalf("SetMaxEvents(%d): %d kept, %d listed (%v), newest %d, MaxEvents %d; want %d ending at 100",
				tc.max, kept, len(evs), err, evs[0].Seq, db.Options().MaxEvents, tc.want)
		}
	}
	if _, err := db.AppendEvent(Event{Type: "t", Message: "one more"}); err != nil {
		t.Fatal(err)
	}
	if kept, _, _ := db.EventStats(); kept != 9 {
		t.Fatalf("after one more append: %d kept, want audit's share of the new bound, 9", kept)
	}
	db = reopen(t, db)
	if evs, _ := db.Events(0, 0); len(evs) != 9 || evs[len(evs)-1].Seq != 93 {
		t.Fatalf("after reopen: %d events, oldest %d; want 9 from 93 (drops committed)", len(evs), evs[len(evs)-1].Seq)
	}
}
