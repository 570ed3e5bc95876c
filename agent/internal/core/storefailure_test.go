package core

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heimnetz/heimnetz/agent/internal/config"
	"github.com/heimnetz/heimnetz/store"
	"github.com/heimnetz/heimnetz/web"
)

// lockedBuffer is a log destination safe for the store's goroutine.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// snapshottingManager is a settings manager whose store takes a snapshot
// every 5 ms, logging to the buffer it returns.
func snapshottingManager(t *testing.T) (*Manager, *store.DB, store.Options, *lockedBuffer) {
	t.Helper()
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	opts := cfg.StoreOptions()
	opts.SnapshotInterval = 5 * time.Millisecond
	logs := new(lockedBuffer)
	m, db := settingsManager(t, opts, cfg, logs)
	return m, db, opts, logs
}

// breakSnapshots puts a file where the snapshot directory was, so every
// snapshot fails (and so does root's), and returns the directory's path.
// The directory is moved aside in one step: the store may be writing a
// snapshot into it right now, which a RemoveAll would race with.
func breakSnapshots(t *testing.T, opts store.Options) string {
	t.Helper()
	dir := filepath.Dir(opts.SnapshotPath)
	if err := os.Rename(dir, dir+".aside"); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dir, []byte("not a directory"), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestStoreFailureReported makes the store's background snapshots fail
// (a file where the snapshot directory was, which stops root too) and
// sees the failure in the agent's log, in /metrics and as an event.
func TestStoreFailureReported(t *testing.T) {
	m, db, opts, logs := snapshottingManager(t)
	defer db.Close()
	dir := breakSnapshots(t, opts)
	defer os.Remove(dir)
	deadline := time.Now().Add(10 * time.Second)
	for i := uint64(0); ; i++ {
		if err := db.PutPlugin(store.PluginRecord{Name: "p", Runs: i}); err != nil {
			t.Fatal(err)
		}
		if err := db.Flush(); err != nil {
			t.Fatal(err)
		}
		if _, s := db.FailureCounts(); s > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no snapshot failed in 10 s")
		}
		time.Sleep(5 * time.Millisecond)
	}
	// The count goes up before the failure hook logs and records it.
	waitFor(t, func() bool { return strings.Contains(logs.String(), "store snapshot failing") }, "the log to report the failure:\n%s", logs)
	waitFor(t, func() bool {
		evs, _, err := m.Backend(time.Now()).Events(web.EventQuery{Type: store.EventTypeStore})
		return err == nil && len(evs) > 0
	}, "a store event")
	var out bytes.Buffer
	m.invalidateMetrics()
	m.writeMetrics(&out)
	if !regexp.MustCompile(`(?m)^heimnetz_store_snapshot_errors_total [1-9]`).Match(out.Bytes()) ||
		!strings.Contains(out.String(), "heimnetz_store_flush_errors_total 0") {
		t.Errorf("/metrics does not count the failure:\n%s", out.String())
	}
	// Counted and logged like every security event, at high's level.
	if !strings.Contains(out.String(), `heimnetz_security_events_total{type="store",severity="high"} 1`) {
		t.Errorf("/metrics does not count the store event as a security event")
	}
	if !regexp.MustCompile(`level=ERROR msg="store snapshot failing[^\n]*type=store severity=high`).MatchString(logs.String()) {
		t.Errorf("the failure is not logged at ERROR as a high event:\n%s", logs.String())
	}
	evs, _, err := m.Backend(time.Now()).Events(web.EventQuery{Type: store.EventTypeStore})
	if err != nil || len(evs) != 1 || evs[0].Severity != "high" || !strings.Contains(evs[0].Message, "snapshot") {
		t.Errorf("events %+v (%v), want one high store event naming the snapshot", evs, err)
	}
	hc, ok := m.Backend(time.Now()).(web.HealthChecker)
	if !ok {
		t.Fatal("the backend does not tell /healthz its health")
	}
	if err := hc.Health(); err == nil || !strings.Contains(err.Error(), "snapshots to flash are failing") || strings.Contains(err.Error(), dir) {
		t.Errorf("Health() = %v, want the snapshot failure without its path", err)
	}
	// The flash is back: the next snapshot succeeds and health returns.
	if err := os.Remove(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); hc.Health() != nil; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("Health() = %v 10 s after the snapshot directory came back", hc.Health())
		}
	}
	// Failing turns false before the hook logs the recovery, as the
	// count goes up before it logs the failure.
	waitFor(t, func() bool { return strings.Contains(logs.String(), "store snapshot works again") }, "the log to report the recovery:\n%s", logs)
}
