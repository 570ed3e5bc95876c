package store

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

func TestSeverityString(t *testing.T) {
	for s, want := range map[Severity]string{Info: "info", Warning: "warning", High: "high", Critical: "critical", 9: "severity(9)"} {
		if got := s.String(); got != want {
			t.Errorf("%d.String() = %q, want %q", int(s), got, want)
		}
	}
	for _, name := range []string{"info", "WARNING", "High", "critical"} {
		s, err := ParseSeverity(name)
		if err != nil || !strings.EqualFold(s.String(), name) {
			t.Errorf("ParseSeverity(%q) = %v, %v", name, s, err)
		}
	}
	if _, err := ParseSeverity("fatal"); !errors.Is(err, ErrBadEvent) {
		t.Errorf("ParseSeverity(fatal) = %v", err)
	}
}

func TestEventsAppendListAck(t *testing.T) {
	clock := newTestClock()
	db := openTest(t, testOptions(t, clock))
	var seqs []uint64
	for i := range 5 {
		clock.Advance(time.Second)
		seq, err := db.AppendEvent(Event{Type: "login", Severity: Warning, Plugin: "auth", Message: fmt.Sprintf("failed login %d", i)})
		if err != nil {
			t.Fatal(err)
		}
		seqs = append(seqs, seq)
	}
	if seqs[0] != 1 || seqs[4] != 5 {
		t.Fatalf("seqs = %v", seqs)
	}
	// Half flushed, half pending: the listing must merge them in order.
	if err := db.Flush(); err != nil {
		t.Fatal(err)
	}
	for i := 5; i < 8; i++ {
		if _, err := db.AppendEvent(Event{Type: "scan", Severity: High, Message: fmt.Sprintf("port scan %d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	evs, err := db.Events(0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := seqsOf(evs); got != "8,7,6,5,4,3,2,1" {
		t.Fatalf("Events = %s, want newest first", got)
	}
	if evs[7].Message != "failed login 0" || evs[7].Plugin != "auth" || evs[7].Severity != Warning ||
		!evs[7].Time.Equal(time.Date(2025, 3, 1, 12, 0, 1, 0, time.UTC)) {
		t.Fatalf("oldest event = %+v", evs[7])
	}
	page, _ := db.Events(3, 7)
	if got := seqsOf(page); got != "6,5,4" {
		t.Fatalf("Events(3, before 7) = %s", got)
	}
	if err := db.AckEvents(2, 7); err != nil {
		t.Fatal(err)
	}
	err = db.AckEvents(3, 99)
	if !errors.Is(err, ErrNoEvent) || !strings.Contains(err.Error(), "[99]") {
		t.Fatalf("AckEvents(99) = %v", err)
	}
	db = reopen(t, db)
	evs, _ = db.Events(0, 0)
	acked := map[uint64]bool{}
	for _, e := range evs {
		acked[e.Seq] = e.Acked
	}
	if !acked[2] || !acked[3] || !acked[7] || acked[1] || acked[8] {
		t.Fatalf("acked after reopen = %v", acked)
	}
	seq, _ := db.AppendEvent(Event{Type: "x", Message: "after reopen"})
	if seq != 9 {
		t.Fatalf("seq after reopen = %d, want 9", seq)
	}
}

func seqsOf(evs []Event) string {
	var s []string
	for _, e := range evs {
		s = append(s, fmt.Sprint(e.Seq))
	}
	return strings.Join(s, ",")
}

func TestEventRejects(t *testing.T) {
	db := openTest(t, testOptions(t, nil))
	if _, err := db.AppendEvent(Event{Message: "no type"}); !errors.Is(err, ErrBadEvent) {
		t.Fatalf("no type: %v", err)
	}
	if _, err := db.AppendEvent(Event{Type: "x", Severity: 7}); !errors.Is(err, ErrBadEvent) {
		t.Fatalf("severity 7: %v", err)
	}
}

func TestEventRedactsAndClips(t *testing.T) {
	db := openTest(t, testOptions(t, nil))
	msg := "wifi psk=hunter2secret " + strings.Repeat("é", MaxEventMessage)
	if _, err := db.AppendEvent(Event{Type: "config", Message: msg}); err != nil {
		t.Fatal(err)
	}
	evs, _ := db.Events(1, 0)
	got := evs[0].Message
	if strings.Contains(got, "hunter2") || !strings.HasPrefix(got, "wifi psk="+Redacted) {
		t.Fatalf("message not redacted: %.60q", got)
	}
	if len(got) > MaxEventMessage || !strings.HasSuffix(got, " bytes)") || !strings.Contains(got, "é…(+") {
		t.Fatalf("message clipped to %d bytes, ends %q", len(got), got[len(got)-4:])
	}
}

func TestEventRingBounds(t *testing.T) {
	tests := []struct {
		name     string
		maxCount int
		maxBytes int64
	}{
		{"by count", 50, 1 << 20},
		{"by bytes", 10000, 4096},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := testOptions(t, nil)
			o.MaxEvents, o.MaxEventBytes = tc.maxCount, tc.maxBytes
			db := openTest(t, o)
			const n = 500
			for i := range n {
				if _, err := db.AppendEvent(Event{Type: "t", Message: fmt.Sprintf("event number %d", i)}); err != nil {
					t.Fatal(err)
				}
				if i%37 == 0 {
					if err := db.Flush(); err != nil {
						t.Fatal(err)
					}
				}
				kept, _, bytes := db.EventStats()
				if kept > tc.maxCount || bytes > tc.maxBytes {
					t.Fatalf("after %d appends: %d events, %d bytes", i+1, kept, bytes)
				}
			}
			kept, dropped, bytes := db.EventStats()
			if uint64(kept)+dropped != n {
				t.Fatalf("kept %d + dropped %d != %d", kept, dropped, n)
			}
			evs, _ := db.Events(0, 0)
			if len(evs) != kept || evs[0].Seq != n || evs[len(evs)-1].Seq != uint64(n-kept+1) {
				t.Fatalf("listing has %d events %d..%d, stats say %d", len(evs), evs[len(evs)-1].Seq, evs[0].Seq, kept)
			}
			db = reopen(t, db)
			k2, d2, b2 := db.EventStats()
			if k2 != kept || d2 != dropped || b2 != bytes {
				t.Fatalf("after reopen: kept %d dropped %d bytes %d; before %d %d %d", k2, d2, b2, kept, dropped, bytes)
			}
			// The bucket holds exactly what the index says.
			evs, _ = db.Events(0, 0)
			if len(evs) != kept {
				t.Fatalf("after reopen listing %d events, stats %d", len(evs), kept)
			}
		})
	}
}

func TestCriticalEventWrittenThrough(t *testing.T) {
	db := openTest(t, testOptions(t, nil))
	if _, err := db.AppendEvent(Event{Type: "a", Severity: Info, Message: "pending"}); err != nil {
		t.Fatal(err)
	}
	before := db.Stats().Commits
	if _, err := db.AppendEvent(Event{Type: "tamper", Severity: Critical, Message: "binary changed"}); err != nil {
		t.Fatal(err)
	}
	if db.Stats().Commits != before+1 {
		t.Fatalf("critical event did not commit")
	}
	db.mu.Lock()
	pending := len(db.pending.events)
	db.mu.Unlock()
	if pending != 0 {
		t.Fatalf("%d events still pending after a critical one", pending)
	}
}

// TestEventFileSizeBounded appends 100k events and checks that the live
// file stays small: the ring bounds what is kept and bbolt reuses freed
// pages.
func TestEventFileSizeBounded(t *testing.T) {
	n := 100_000
	if testing.Short() {
		n = 20_000
	}
	o := testOptions(t, nil)
	o.MaxEvents, o.MaxEventBytes = 1000, 256<<10
	db := openTest(t, o)
	msg := strings.Repeat("m", 150)
	for i := range n {
		if _, err := db.AppendEvent(Event{Type: "flood", Plugin: "p", Message: fmt.Sprintf("%d %s", i, msg)}); err != nil {
			t.Fatal(err)
		}
		if i%200 == 199 {
			if err := db.Flush(); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := db.Flush(); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(o.LivePath)
	if err != nil {
		t.Fatal(err)
	}
	// 256 KiB of events, about as much again in free pages and bbolt's
	// growth step: 2 MiB is the bound this test states.
	const bound = 2 << 20
	if st.Size() > bound {
		t.Fatalf("live file %d bytes after %d events, bound %d", st.Size(), n, bound)
	}
	kept, dropped, _ := db.EventStats()
	if kept > 1000 || uint64(kept)+dropped != uint64(n) {
		t.Fatalf("kept %d dropped %d", kept, dropped)
	}
	if err := db.Check(); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d events: live file %d bytes, %d kept", n, st.Size(), kept)
}
