package store

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// crashHelperEnv carries the JSON crashSpec to the re-executed test binary.
const crashHelperEnv = "HEIMNETZ_STORE_CRASH_HELPER"

// crashSpec tells the helper which database to write and which round of
// the test it is: every value it writes is "<round>-<i>", so a value read
// back names the round (and the write within it) that wrote it.
type crashSpec struct {
	Live, Snapshot string
	Writers        int
	Round          int
}

// runCrashHelper opens the database and writes kv values from several
// goroutines (plugins) until it is killed, printing "ack <plugin> <key>
// <value>" after each Set returns and "ev <seq>" after each Critical
// event (a noise event is appended after each Set too) ("ready" first, once the database is open). It returns an exit
// status.
func runCrashHelper(spec string) int {
	var s crashSpec
	if err := json.Unmarshal([]byte(spec), &s); err != nil {
		fmt.Fprintln(os.Stderr, "helper:", err)
		return 2
	}
	db, err := Open(Options{LivePath: s.Live, SnapshotPath: s.Snapshot, FlushInterval: 20 * time.Millisecond, SnapshotInterval: 50 * time.Millisecond})
	if err != nil {
		fmt.Fprintln(os.Stderr, "helper: open:", err)
		return 3
	}
	var out sync.Mutex
	say := func(format string, args ...any) {
		out.Lock()
		fmt.Fprintf(os.Stdout, format+"\n", args...)
		out.Unlock()
	}
	say("ready")
	var wg sync.WaitGroup
	q := Quota{MaxKeys: 1 << 20, MaxBytes: 1 << 40, WritesPerMinute: 1 << 30}
	for w := range s.Writers {
		wg.Go(func() {
			plugin := fmt.Sprintf("w%d", w)
			kv := db.KV(plugin, q)
			for i := 0; ; i++ {
				key := fmt.Sprintf("k%d", i%50)
				val := fmt.Sprintf("%d-%d", s.Round, i)
				if err := kv.Set(key, val); err != nil {
					fmt.Fprintln(os.Stderr, "helper: set:", err)
					os.Exit(4)
				}
				say("ack %s %s %s", plugin, key, val)
				if i%10 == 0 {
					seq, err := db.AppendEvent(Event{Type: "crash-test", Severity: Critical, Plugin: plugin, Message: val})
					if err != nil {
						fmt.Fprintln(os.Stderr, "helper: event:", err)
						os.Exit(5)
					}
					say("ev %d %s", seq, val)
				}
				// Noise beside the audit events: evictions by class
				// (pending and committed) must not cost a critical event.
				if _, err := db.AppendEvent(Event{Type: "login_failed", Severity: Warning, Noise: true, Message: val}); err != nil {
					fmt.Fprintln(os.Stderr, "helper: noise event:", err)
					os.Exit(5)
				}
				_ = db.AppendLog(plugin, "info", val, time.Time{})
				_ = db.PutPlugin(PluginRecord{Name: plugin, Runs: uint64(i)})
			}
		})
	}
	wg.Wait()
	return 0
}

// TestCrashKeepsAcknowledgedWrites starts the helper, kills it with
// SIGKILL at a random moment, and checks after reopening that every
// acknowledged kv write and Critical event is there and the file passes
// Check. Rounds alternate between RAM+snapshot and single-path mode. Each
// key must hold its latest acknowledged value or one written later (a
// write that reached the file before its ack was printed), never a value
// of an earlier round: a restore from an older snapshot fails the test
// (TestCrashDetectsRollback proves it does).
func TestCrashKeepsAcknowledgedWrites(t *testing.T) {
	rounds := 60
	if testing.Short() {
		rounds = 20
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := ramTempDir(t)
	r := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 3))
	spec := crashSpec{Live: filepath.Join(dir, "ram", FileName), Snapshot: filepath.Join(dir, "flash", FileName), Writers: 4}
	// The latest value acknowledged for each plugin/key, over all rounds.
	want := map[string]string{}
	for round := range rounds {
		single := round%2 == 1
		s := spec
		s.Round = round
		if single {
			s.Live, s.Snapshot = filepath.Join(dir, "single", FileName), ""
		}
		// Most rounds count the delay from when the helper has opened the
		// database, so that a slow start (a loaded machine, qemu) still
		// leaves the kill among the writes; every fourth round counts it
		// from the start, so the kill can also land in Open's recovery.
		kill := crashKill{delay: time.Duration(20+r.IntN(250)) * time.Millisecond, fromStart: round%4 == 3}
		run := runAndKill(t, exe, s, kill)
		check := run.acked
		if !single {
			for k, v := range run.acked {
				want[k] = v
			}
			check = want
		}
		db := reopenCrashed(t, s)
		if err := db.Check(); err != nil {
			t.Fatalf("round %d: Check: %v", round, err)
		}
		if err := checkAcknowledged(db, check); err != nil {
			t.Fatalf("round %d (single=%v, %s): %v", round, single, kill, err)
		}
		if err := checkEvents(db, run.events); err != nil {
			t.Fatalf("round %d (single=%v, %s): %v", round, single, kill, err)
		}
		t.Logf("round %d single=%v %s: %d keys, %d critical events acknowledged", round, single, kill, len(run.acked), len(run.events))
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if len(want) == 0 {
		t.Fatal("no write was ever acknowledged")
	}
}

// TestCrashDetectsRollback proves that the crash test's check fails for
// the reason it claims: after two rounds, the database is put back to the
// snapshot the first round left (as a restore from an older snapshot
// would) and the check must report the keys rolled back to round 0.
func TestCrashDetectsRollback(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := ramTempDir(t)
	s := crashSpec{Live: filepath.Join(dir, "ram", FileName), Snapshot: filepath.Join(dir, "flash", FileName), Writers: 2}
	want := map[string]string{}
	older := filepath.Join(dir, "older.db")
	for round := range 2 {
		s.Round = round
		// Enough acknowledged writes that every key is written each round.
		run := runAndKill(t, exe, s, crashKill{acks: 400})
		for k, v := range run.acked {
			want[k] = v
		}
		db := reopenCrashed(t, s)
		if err := checkAcknowledged(db, want); err != nil {
			t.Fatalf("round %d, nothing rolled back yet: %v", round, err)
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		if round == 0 {
			// Close wrote round 0's state to the snapshot: keep a copy.
			copyFile(t, s.Snapshot, older)
		}
	}
	// The RAM copy is lost (a reboot) and the flash snapshot is one
	// round old.
	if err := os.Remove(s.Live); err != nil {
		t.Fatal(err)
	}
	copyFile(t, older, s.Snapshot)
	db := reopenCrashed(t, s)
	defer db.Close()
	err = checkAcknowledged(db, want)
	if err == nil || !strings.Contains(err.Error(), "older than acknowledged") || !strings.Contains(err.Error(), "= 0-") {
		t.Fatalf("a database rolled back to round 0 passed the check: %v", err)
	}
	t.Logf("detected: %v", err)
}

// crashKill says when runAndKill kills the helper: once it has printed
// acks acknowledgements, or delay after it opened the database (after it
// started, with fromStart).
type crashKill struct {
	delay     time.Duration
	fromStart bool
	acks      int
}

func (k crashKill) String() string {
	switch {
	case k.acks > 0:
		return fmt.Sprintf("killed after %d acks", k.acks)
	case k.fromStart:
		return fmt.Sprintf("killed %v after start", k.delay)
	}
	return fmt.Sprintf("killed %v after open", k.delay)
}

// crashRun is what the killed helper acknowledged: the last value of each
// plugin/key and the critical events with their messages.
type crashRun struct {
	acked  map[string]string
	events map[uint64]string
}

// runAndKill runs the helper on s and kills it with SIGKILL as kill says.
func runAndKill(t *testing.T, exe string, s crashSpec, kill crashKill) crashRun {
	t.Helper()
	js, _ := json.Marshal(s)
	cmd := helperCommand(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), crashHelperEnv+"="+string(js))
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		if errors.Is(err, syscall.ENOEXEC) {
			t.Skipf("cannot re-execute the test binary (%v): under qemu-user set HEIMNETZ_QEMU to the emulator", err)
		}
		t.Fatal(err)
	}
	ready := make(chan struct{})
	enough := make(chan struct{})
	killed := make(chan struct{})
	go func() {
		switch {
		case kill.acks > 0:
			select {
			case <-enough:
			case <-time.After(2 * time.Minute): // a helper that stalls fails below
			}
		case !kill.fromStart:
			select {
			case <-ready:
			case <-time.After(2 * time.Minute): // an Open that hangs fails the round below
			}
			time.Sleep(kill.delay) // the point: a kill at a random moment
		default:
			time.Sleep(kill.delay) // the point: a kill at a random moment, maybe inside Open
		}
		_ = cmd.Process.Kill()
		close(killed)
	}()
	readyOnce := sync.OnceFunc(func() { close(ready) })
	enoughOnce := sync.OnceFunc(func() { close(enough) })
	run := crashRun{acked: map[string]string{}, events: map[uint64]string{}}
	acks := 0
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		switch {
		case len(f) == 1 && f[0] == "ready":
			readyOnce()
		case len(f) == 4 && f[0] == "ack":
			run.acked[f[1]+"/"+f[2]] = f[3]
			if acks++; kill.acks > 0 && acks >= kill.acks {
				enoughOnce()
			}
		case len(f) == 3 && f[0] == "ev":
			var seq uint64
			fmt.Sscan(f[1], &seq)
			run.events[seq] = f[2]
		}
	}
	readyOnce() // the helper ended without saying it was ready
	enoughOnce()
	<-killed
	_ = cmd.Wait()
	if kill.acks > 0 && acks < kill.acks {
		t.Fatalf("the helper ended after %d acks, before the %d it was to be killed at", acks, kill.acks)
	}
	return run
}

// reopenCrashed opens the database the helper was killed over. Removing
// an interrupted snapshot (Info) is expected when the kill hit a
// snapshot; anything worse means a damaged file.
func reopenCrashed(t *testing.T, s crashSpec) *DB {
	t.Helper()
	db, err := Open(Options{LivePath: s.Live, SnapshotPath: s.Snapshot, Manual: true, LockTimeout: 5 * time.Second})
	if err != nil {
		t.Fatalf("round %d: Open after kill -9: %v", s.Round, err)
	}
	for _, n := range db.Notices() {
		if n.Severity > Info {
			t.Errorf("round %d: Open had to recover after kill -9: %v", s.Round, n)
		}
	}
	return db
}

// checkAcknowledged reports the first key that does not hold its
// acknowledged value or a later one.
func checkAcknowledged(db *DB, want map[string]string) error {
	for pk, v := range want {
		plugin, key, _ := strings.Cut(pk, "/")
		got, ok, err := db.KV(plugin, DefaultQuota()).Get(key)
		if err != nil || !ok {
			return fmt.Errorf("acknowledged %s=%s missing (ok=%v err=%v)", pk, v, ok, err)
		}
		if got != v && !newerValue(got, v) {
			return fmt.Errorf("%s = %s, older than acknowledged %s", pk, got, v)
		}
	}
	return nil
}

// checkEvents reports the first acknowledged critical event not kept.
func checkEvents(db *DB, events map[uint64]string) error {
	// The classes were read back and hold their shares.
	auditN, _, noiseN, _ := shares(db.opts.MaxEvents, db.opts.MaxEventBytes)
	if a, n := db.events.audit.len(), db.events.noise.len(); a > auditN || n > noiseN {
		return fmt.Errorf("after reopen: %d audit, %d noise events; shares %d and %d", a, n, auditN, noiseN)
	}
	for seq, msg := range events {
		evs, err := db.Events(1, seq+1)
		if err != nil || len(evs) != 1 || evs[0].Seq != seq || evs[0].Message != msg {
			return fmt.Errorf("critical event %d (%s) not kept: %+v %v", seq, msg, evs, err)
		}
	}
	return nil
}

// copyFile copies the file from to to.
func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// helperCommand re-executes the test binary; under user-mode emulation
// (scripts/emulated/test.sh sets HEIMNETZ_QEMU) through the emulator, whose
// process the test then kills.
func helperCommand(exe string, args ...string) *exec.Cmd {
	if qemu := os.Getenv("HEIMNETZ_QEMU"); qemu != "" {
		return exec.Command(qemu, append([]string{exe}, args...)...)
	}
	return exec.Command(exe, args...)
}

// newerValue reports whether kv value got ("<round>-<i>") was written
// after want: in a later round, or later in the same round.
func newerValue(got, want string) bool {
	var gr, gi, wr, wi int
	if _, err := fmt.Sscanf(got, "%d-%d", &gr, &gi); err != nil {
		return false
	}
	if _, err := fmt.Sscanf(want, "%d-%d", &wr, &wi); err != nil {
		return false
	}
	return gr > wr || (gr == wr && gi > wi)
}
