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

// crashSpec tells the helper which database to write.
type crashSpec struct {
	Live, Snapshot string
	Writers        int
}

// runCrashHelper opens the database and writes kv values from several
// goroutines (plugins) until it is killed, printing "ack <plugin> <key>
// <value>" after each Set returns and "ev <seq>" after each Critical
// event ("ready" first, once the database is open). It returns an exit
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
				val := fmt.Sprintf("%d-%d", os.Getpid(), i)
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
// Check. Rounds alternate between RAM+snapshot and single-path mode.
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
	events := map[uint64]string{}
	for round := range rounds {
		single := round%2 == 1
		s := spec
		if single {
			s.Live, s.Snapshot = filepath.Join(dir, "single", FileName), ""
		}
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
		// Most rounds count the delay from when the helper has opened the
		// database, so that a slow start (a loaded machine, qemu) still
		// leaves the kill among the writes; every fourth round counts it
		// from the start, so the kill can also land in Open's recovery.
		delay := time.Duration(20+r.IntN(250)) * time.Millisecond
		from := "open"
		if round%4 == 3 {
			from = "start"
		}
		ready := make(chan struct{})
		killed := make(chan struct{})
		go func() {
			if from == "open" {
				select {
				case <-ready:
				case <-time.After(2 * time.Minute): // an Open that hangs fails the round below
				}
			}
			time.Sleep(delay)
			_ = cmd.Process.Kill()
			close(killed)
		}()
		readyOnce := sync.OnceFunc(func() { close(ready) })
		roundWant := map[string]string{}
		roundEvents := map[uint64]string{}
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			f := strings.Fields(sc.Text())
			switch {
			case len(f) == 1 && f[0] == "ready":
				readyOnce()
			case len(f) == 4 && f[0] == "ack":
				roundWant[f[1]+"/"+f[2]] = f[3]
			case len(f) == 3 && f[0] == "ev":
				var seq uint64
				fmt.Sscan(f[1], &seq)
				roundEvents[seq] = f[2]
			}
		}
		readyOnce() // the helper ended without saying it was ready
		<-killed
		_ = cmd.Wait()
		if !single {
			for k, v := range roundWant {
				want[k] = v
			}
		}

		o := Options{LivePath: s.Live, SnapshotPath: s.Snapshot, Manual: true, LockTimeout: 5 * time.Second}
		db, err := Open(o)
		if err != nil {
			t.Fatalf("round %d (single=%v, killed after %v): Open: %v", round, single, delay, err)
		}
		// Removing an interrupted snapshot (Info) is expected when the
		// kill hit a snapshot; anything worse means a damaged file.
		for _, n := range db.Notices() {
			if n.Severity > Info {
				t.Errorf("round %d: Open had to recover after kill -9: %v", round, n)
			}
		}
		if err := db.Check(); err != nil {
			t.Fatalf("round %d: Check: %v", round, err)
		}
		check := roundWant
		if !single {
			check = want
		}
		for pk, v := range check {
			plugin, key, _ := strings.Cut(pk, "/")
			got, ok, err := db.KV(plugin, DefaultQuota()).Get(key)
			if err != nil || !ok {
				t.Fatalf("round %d: acknowledged %s=%s missing (ok=%v err=%v)", round, pk, v, ok, err)
			}
			// A later write may have reached the file without its ack
			// being printed; it must be from the same or a later round.
			if got != v && !newerValue(got, v) {
				t.Fatalf("round %d: %s = %s, acknowledged %s", round, pk, got, v)
			}
		}
		for seq, msg := range roundEvents {
			evs, err := db.Events(1, seq+1)
			if err != nil || len(evs) != 1 || evs[0].Seq != seq || evs[0].Message != msg {
				t.Fatalf("round %d: critical event %d (%s) not kept: %+v %v", round, seq, msg, evs, err)
			}
		}
		if !single {
			for seq, msg := range roundEvents {
				events[seq] = msg
			}
		}
		t.Logf("round %d single=%v killed %v after %s: %d keys, %d critical events acknowledged", round, single, delay, from, len(roundWant), len(roundEvents))
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if len(want) == 0 {
		t.Fatal("no write was ever acknowledged")
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

// newerValue reports whether kv value got ("<pid>-<i>") was written after
// want: by a later process, or later in the same process.
func newerValue(got, want string) bool {
	var gp, gi, wp, wi int
	if _, err := fmt.Sscanf(got, "%d-%d", &gp, &gi); err != nil {
		return false
	}
	if _, err := fmt.Sscanf(want, "%d-%d", &wp, &wi); err != nil {
		return false
	}
	return gp != wp || gi > wi
}
