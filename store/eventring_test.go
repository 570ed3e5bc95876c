package store

import (
	"fmt"
	"strings"
	"testing"
)

// TestNoiseNeverEvictsAudit floods the ring with noise after (and between)
// audit events: every audit event the audit share can hold survives, the
// ring never passes its bounds, the listing stays in sequence order,
// acknowledging works on both classes, and the classes survive a reopen.
func TestNoiseNeverEvictsAudit(t *testing.T) {
	tests := []struct {
		name       string
		maxN       int
		maxB       int64
		audit      int // audit events before the flood
		noise      int // noise events in the flood
		auditEvery int // one more audit event per this many noise events (0: none)
		noiseMsg   int // bytes of each noise message
		flushEvery int
	}{
		{name: "default ring, 300 audit, 100k noise", maxN: 1000, maxB: DefaultMaxEventBytes, audit: 300, noise: 100000, flushEvery: 1000},
		{name: "audit fills its share", maxN: 1000, maxB: DefaultMaxEventBytes, audit: 2000, noise: 100000, flushEvery: 777},
		{name: "audit between the noise", maxN: 200, maxB: DefaultMaxEventBytes, audit: 20, noise: 20000, auditEvery: 500, flushEvery: 300},
		{name: "bytes bound first", maxN: 1000, maxB: 32 << 10, audit: 50, noise: 20000, noiseMsg: 900, flushEvery: 100},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := testOptions(t, nil)
			o.MaxEvents, o.MaxEventBytes = tc.maxN, tc.maxB
			db := openTest(t, o)
			auditN, _, noiseN, _ := shares(tc.maxN, tc.maxB)
			var audit []uint64 // every audit event appended, oldest first
			appendAudit := func(i int) {
				t.Helper()
				ev := Event{Type: "admin_action", Severity: Warning, Message: fmt.Sprintf("plugin x disabled by admin %d", i)}
				if i%7 == 3 { // noise-marked but high: kept as audit
					ev = Event{Type: "login_failed", Severity: High, Noise: true, Message: fmt.Sprintf("high %d", i)}
				}
				seq, err := db.AppendEvent(ev)
				if err != nil {
					t.Fatal(err)
				}
				audit = append(audit, seq)
			}
			for i := range tc.audit {
				appendAudit(i)
			}
			pad := strings.Repeat("x", tc.noiseMsg)
			var lastNoise uint64
			for i := range tc.noise {
				seq, err := db.AppendEvent(Event{Type: "login_failed", Severity: Warning, Noise: true, Message: fmt.Sprintf("failed login %d from fd00::%x %s", i, i, pad)})
				if err != nil {
					t.Fatal(err)
				}
				lastNoise = seq
				if tc.auditEvery > 0 && i%tc.auditEvery == 0 {
					appendAudit(tc.audit + i)
				}
				if kept, _, b := db.EventStats(); kept > tc.maxN || b > tc.maxB || db.events.noise.len() > noiseN {
					t.Fatalf("after noise %d: %d events (%d noise), %d bytes; bounds %d events (%d noise), %d bytes",
						i, kept, db.events.noise.len(), b, tc.maxN, noiseN, tc.maxB)
				}
				if (i+1)%tc.flushEvery == 0 {
					if err := db.Flush(); err != nil {
						t.Fatal(err)
					}
				}
			}
			// The audit share holds the newest auditN audit events (all of
			// them unless there were more): none was evicted by noise.
			want := audit[max(0, len(audit)-auditN):]
			if tc.maxB < DefaultMaxEventBytes {
				want = audit // small enough to fit the bytes share too
			}
			check := func(stage string) {
				t.Helper()
				evs, err := db.Events(0, 0)
				if err != nil {
					t.Fatal(err)
				}
				listed := map[uint64]Event{}
				for i, e := range evs {
					if i > 0 && e.Seq >= evs[i-1].Seq {
						t.Fatalf("%s: listing not newest first at %d: %d after %d", stage, i, e.Seq, evs[i-1].Seq)
					}
					listed[e.Seq] = e
				}
				for _, seq := range want {
					if _, ok := listed[seq]; !ok {
						t.Fatalf("%s: audit event %d evicted (%d of %d audit events wanted are listed)", stage, seq, countListed(listed, want), len(want))
					}
				}
				if e, ok := listed[lastNoise]; !ok || !e.Noise {
					t.Fatalf("%s: newest noise event %d not listed as noise: %+v", stage, lastNoise, e)
				}
				if kept, _, _ := db.EventStats(); kept != len(evs) || kept > tc.maxN {
					t.Fatalf("%s: %d kept, %d listed, bound %d", stage, kept, len(evs), tc.maxN)
				}
				// Paging from the middle gives the same order.
				page, err := db.Events(10, want[len(want)-1])
				if err != nil || len(page) == 0 || page[0].Seq >= want[len(want)-1] {
					t.Fatalf("%s: page before %d = %s (%v)", stage, want[len(want)-1], seqsOf(page), err)
				}
			}
			check("after the flood")
			if err := db.AckEvents(want[0], lastNoise); err != nil {
				t.Fatalf("ack audit %d and noise %d: %v", want[0], lastNoise, err)
			}
			db = reopen(t, db)
			check("after reopen")
			evs, _ := db.Events(0, 0)
			for _, e := range evs {
				if (e.Seq == want[0] || e.Seq == lastNoise) && !e.Acked {
					t.Fatalf("event %d lost its acknowledgement", e.Seq)
				}
			}
			// The classes were read back from the file: more noise still
			// evicts only noise.
			for i := range tc.maxN {
				if _, err := db.AppendEvent(Event{Type: "bad_token", Severity: Info, Noise: true, Message: fmt.Sprint("again ", i)}); err != nil {
					t.Fatal(err)
				}
			}
			lastNoise = db.events.next - 1
			check("after reopen and more noise")
		})
	}
}

func countListed(listed map[uint64]Event, seqs []uint64) int {
	n := 0
	for _, s := range seqs {
		if _, ok := listed[s]; ok {
			n++
		}
	}
	return n
}

// TestAuditEvictsOnlyAudit: audit past its share drops its own oldest
// event and leaves noise its reserve, so the latest noise stays visible.
func TestAuditEvictsOnlyAudit(t *testing.T) {
	o := testOptions(t, nil)
	o.MaxEvents = 100
	db := openTest(t, o)
	for i := range 30 {
		if _, err := db.AppendEvent(Event{Type: "login_failed", Severity: Warning, Noise: true, Message: fmt.Sprint("noise ", i)}); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 500 {
		if _, err := db.AppendEvent(Event{Type: "admin_action", Severity: Info, Message: fmt.Sprint("audit ", i)}); err != nil {
			t.Fatal(err)
		}
	}
	if a, n := db.events.audit.len(), db.events.noise.len(); a != 90 || n != 10 {
		t.Fatalf("audit %d, noise %d; want 90 and the newest 10 noise events", a, n)
	}
	if oldest, _ := db.events.noise.oldest(); oldest.seq != 21 {
		t.Fatalf("oldest noise kept %d, want 21", oldest.seq)
	}
}
