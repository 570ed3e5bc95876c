package store

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// failureLog collects what a DB reports through OnFailure.
type failureLog struct {
	mu      sync.Mutex
	reports []string
}

func (l *failureLog) report(op string, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err == nil {
		l.reports = append(l.reports, op+": ok")
		return
	}
	l.reports = append(l.reports, op+": "+err.Error())
}

func (l *failureLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.reports, "\n")
}

// waitFor polls cond until it holds or 10 s pass.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("waited 10 s for %s", what)
		}
	}
}

// TestBackgroundFlushFailureReported makes the background flush fail
// (a pending log line for a plugin whose bucket name bbolt refuses) and
// sees it counted, reported, recorded as an event and, once the cause is
// gone, reported as recovered; the event is then committed.
func TestBackgroundFlushFailureReported(t *testing.T) {
	o := testOptions(t, nil)
	o.Manual, o.FlushInterval = false, 5*time.Millisecond
	db := openTest(t, o)
	var log failureLog
	db.OnFailure(log.report)
	db.mu.Lock()
	db.pending.logs[""] = []pendingLog{{}}
	db.pending.dirty = true
	db.mu.Unlock()
	waitFor(t, "two failed flushes", func() bool { f, _ := db.FailureCounts(); return f >= 2 })
	if st := db.Stats(); st.FlushError == nil || st.FlushErrors < 2 {
		t.Errorf("Stats = %+v, want the flush error and its count", st)
	}
	if flush, snap := db.Failing(); !flush || snap {
		t.Errorf("Failing() = %v, %v; want flush only", flush, snap)
	}
	evs, _ := db.Events(0, 0)
	if len(evs) != 1 || evs[0].Type != EventTypeStore || evs[0].Severity != High || !strings.Contains(evs[0].Message, "flush") {
		t.Fatalf("events %+v, want one High store event for the failing streak", evs)
	}
	db.mu.Lock()
	delete(db.pending.logs, "")
	db.mu.Unlock()
	waitFor(t, "the recovery report", func() bool { return strings.HasSuffix(log.String(), "flush: ok") })
	if got := log.String(); !strings.HasPrefix(got, "flush: store: flush:") || strings.Count(got, "\n") != 1 {
		t.Errorf("reports:\n%s\nwant one failure and one recovery", got)
	}
	if flush, _ := db.Failing(); flush {
		t.Error("Failing() still says flush after a successful one")
	}
	db = reopen(t, db)
	if evs, _ := db.Events(0, 0); len(evs) != 1 || evs[0].Type != EventTypeStore {
		t.Errorf("after reopen: events %+v, want the committed failure event", evs)
	}
}

// TestBackgroundSnapshotFailureReported puts a file where the snapshot
// directory was, so snapshots fail even for root, and sees the failure
// counted, reported and recorded once.
func TestBackgroundSnapshotFailureReported(t *testing.T) {
	o := testOptions(t, nil)
	o.Manual, o.SnapshotInterval = false, 5*time.Millisecond
	db := openTest(t, o)
	var log failureLog
	db.OnFailure(log.report)
	dir := filepath.Dir(o.SnapshotPath)
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dir, []byte("not a directory"), 0o600); err != nil {
		t.Fatal(err)
	}
	for i := 0; ; i++ {
		if err := db.PutPlugin(PluginRecord{Name: "p", Runs: uint64(i)}); err != nil {
			t.Fatal(err)
		}
		if err := db.Flush(); err != nil {
			t.Fatal(err)
		}
		if _, s := db.FailureCounts(); s >= 2 {
			break
		}
		if i > 2000 {
			t.Fatal("no two snapshot failures in 10 s")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if got := log.String(); !strings.HasPrefix(got, "snapshot: store: snapshot") || strings.Contains(got, "\n") {
		t.Errorf("reports:\n%s\nwant one snapshot failure", got)
	}
	evs, _ := db.Events(0, 0)
	if len(evs) != 1 || evs[0].Severity != High || !strings.Contains(evs[0].Message, "snapshot") {
		t.Errorf("events %+v, want one High snapshot event", evs)
	}
	// Asked before the directory is back: a snapshot may succeed at once.
	if _, snap := db.Failing(); !snap {
		t.Error("Failing() does not say snapshot")
	}
	if err := os.Remove(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the recovery report", func() bool { return strings.HasSuffix(log.String(), "snapshot: ok") })
	if _, snap := db.Failing(); snap {
		t.Error("Failing() still says snapshot after a successful one")
	}
	if err := db.Close(); err != nil && !errors.Is(err, ErrClosed) {
		t.Fatal(err)
	}
}
