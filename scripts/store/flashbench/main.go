// Command flashbench measures what the store writes to flash under the
// steady workload of a router: P plugins, each writing K kv keys every
// interval (values change every run), one registry update and one log line
// per run, and one event a minute, for a simulated period (1 hour by
// default; the clock is simulated, the writes are real).
//
// It runs the workload under both storage policies and prints, per
// simulated hour, the bytes and sync calls that reach the flash side:
//
//   - ram+snapshot: the live file in RAM (/dev/shm when present), a
//     snapshot to the flash directory every -snapshot interval if anything
//     changed. The flash side is counted exactly through store.CountingFS.
//   - flash-only: the live file itself in the flash directory. Every
//     acknowledged kv write is a bbolt commit, which calls fdatasync twice
//     (data pages, then the meta page) plus once more when the file grows;
//     bytes are the wchar counter of /proc/self/io (bytes handed to
//     write/pwrite) on Linux.
//
// Usage: go run ./scripts/store/flashbench [-hours 1] [-plugins 10] [-keys 10] [-interval 15s] [-snapshot 30m] [-concurrent]
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/heimnetz/heimnetz/store"
)

// config is the workload.
type config struct {
	hours      float64
	plugins    int
	keys       int
	interval   time.Duration
	snapshot   time.Duration
	flush      time.Duration
	concurrent bool
	policy     string
	flashDir   string
	ramDir     string
}

// result is what one policy wrote.
type result struct {
	policy        string
	kvWrites      int
	commits       uint64
	flashBytes    int64
	flashSyncs    int64
	maxSyncsIn30s int64
	snapshots     uint64
	closeBytes    int64
	closeSyncs    int64
	wall          time.Duration
	fileSize      int64
}

func main() {
	var c config
	flag.Float64Var(&c.hours, "hours", 1, "simulated hours")
	flag.IntVar(&c.plugins, "plugins", 10, "plugins")
	flag.IntVar(&c.keys, "keys", 10, "kv keys each plugin writes per run")
	flag.DurationVar(&c.interval, "interval", 15*time.Second, "plugin run interval")
	flag.DurationVar(&c.snapshot, "snapshot", store.DefaultSnapshotInterval, "snapshot interval (ram+snapshot policy)")
	flag.DurationVar(&c.flush, "flush", store.DefaultFlushInterval, "flush interval for registry, events and logs")
	flag.BoolVar(&c.concurrent, "concurrent", false, "run the plugins of one tick at the same moment (bbolt batches their commits) instead of staggered")
	flag.StringVar(&c.policy, "policy", "both", "which policy to run: both, snapshot or flash")
	flag.StringVar(&c.flashDir, "flash-dir", "", "directory standing in for flash (default a new temporary directory)")
	flag.StringVar(&c.ramDir, "ram-dir", "", "directory standing in for the RAM disk (default under /dev/shm when present)")
	flag.Parse()
	if err := run(c); err != nil {
		fmt.Fprintln(os.Stderr, "flashbench:", err)
		os.Exit(1)
	}
}

func run(c config) error {
	flash, err := dirOr(c.flashDir, "")
	if err != nil {
		return err
	}
	defer os.RemoveAll(flash)
	ramBase := ""
	if st, err := os.Stat("/dev/shm"); err == nil && st.IsDir() {
		ramBase = "/dev/shm"
	}
	ram, err := dirOr(c.ramDir, ramBase)
	if err != nil {
		return err
	}
	defer os.RemoveAll(ram)

	fmt.Printf("workload: %d plugins x %d keys every %v (%s), 1 registry update + 1 log line per run, 1 event/min; %.1f simulated h; flush every %v\n",
		c.plugins, c.keys, c.interval, map[bool]string{true: "concurrent", false: "staggered"}[c.concurrent], c.hours, c.flush)
	fmt.Printf("flash dir %s, ram dir %s\n\n", flash, ram)

	var results []result
	if c.policy == "both" || c.policy == "snapshot" {
		r, err := runPolicy(c, "ram+snapshot", filepath.Join(ram, "live", store.FileName), filepath.Join(flash, "snap", store.FileName))
		if err != nil {
			return err
		}
		results = append(results, r)
		defer fmt.Printf("\nram+snapshot: %d snapshots; the final one at Close wrote %d bytes with %d syncs (file + directory).\n", r.snapshots, r.closeBytes, r.closeSyncs)
	}
	if c.policy == "both" || c.policy == "flash" {
		r, err := runPolicy(c, "flash-only", filepath.Join(flash, "single", store.FileName), "")
		if err != nil {
			return err
		}
		results = append(results, r)
		defer fmt.Println("flash-only syncs = 2 fdatasync per commit (bbolt writes data pages, syncs, writes the meta page, syncs) + 1 per file growth; bytes from /proc/self/io wchar.")
	}
	perHour := func(v float64) float64 { return v / c.hours }
	fmt.Printf("%-13s %9s %9s %12s %10s %10s %13s %10s %10s\n", "policy", "kv sets/h", "commits/h", "flash MB/h", "syncs/h", "syncs/30s", "max syncs/30s", "file KiB", "wall")
	for _, r := range results {
		fmt.Printf("%-13s %9.0f %9.0f %12.3f %10.1f %10.3f %13d %10d %10v\n", r.policy,
			perHour(float64(r.kvWrites)), perHour(float64(r.commits)), perHour(float64(r.flashBytes))/1e6,
			perHour(float64(r.flashSyncs)), float64(r.flashSyncs)/(c.hours*120), r.maxSyncsIn30s, r.fileSize>>10, r.wall.Round(time.Millisecond))
	}
	return nil
}

// dirOr returns dir, created, or a new temporary directory under base.
func dirOr(dir, base string) (string, error) {
	if dir != "" {
		return dir, os.MkdirAll(dir, 0o700)
	}
	return os.MkdirTemp(base, "flashbench-")
}

// simClock is the simulated clock the store reads.
type simClock struct {
	mu sync.Mutex
	t  time.Time
}

func (s *simClock) Now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.t
}

func (s *simClock) set(t time.Time) {
	s.mu.Lock()
	s.t = t
	s.mu.Unlock()
}

// runPolicy runs the workload against one layout and measures the flash side.
func runPolicy(c config, policy, live, snapshot string) (result, error) {
	res := result{policy: policy}
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := &simClock{t: start}
	fs := &store.CountingFS{}
	db, err := store.Open(store.Options{
		LivePath: live, SnapshotPath: snapshot, SnapshotInterval: c.snapshot, FlushInterval: c.flush,
		Manual: true, Now: clock.Now, FS: fs,
	})
	if err != nil {
		return res, err
	}
	kvs := make([]*store.KV, c.plugins)
	for p := range kvs {
		kvs[p] = db.KV(fmt.Sprintf("plugin-%02d", p), store.DefaultQuota())
	}
	// Sync times in simulated seconds, for the worst 30 s window.
	var syncTimes []int64
	countSyncs := func(now time.Time, before int64) {
		for i := before; i < fs.FileSyncs.Load()+fs.DirSyncs.Load(); i++ {
			syncTimes = append(syncTimes, int64(now.Sub(start)/time.Second))
		}
	}
	wchar0 := writtenBytes()
	wall := time.Now()
	step := time.Second
	end := time.Duration(c.hours * float64(time.Hour))
	tick := 0
	for at := time.Duration(0); at < end; at += step {
		now := start.Add(at)
		clock.set(now)
		before := fs.FileSyncs.Load() + fs.DirSyncs.Load()
		if at%c.interval == 0 {
			if err := runTick(c, db, kvs, tick, now, &res); err != nil {
				return res, err
			}
			tick++
		}
		if at%time.Minute == 0 {
			if _, err := db.AppendEvent(store.Event{Type: "bench", Severity: store.Warning, Message: fmt.Sprintf("minute %d", at/time.Minute)}); err != nil {
				return res, err
			}
			if _, err := db.MaybeSnapshot(); err != nil {
				return res, err
			}
		}
		if at%c.flush == 0 {
			if err := db.Flush(); err != nil {
				return res, err
			}
		}
		countSyncs(now, before)
	}
	res.wall = time.Since(wall)
	res.commits = db.Stats().Commits
	res.snapshots = db.Stats().Snapshots
	if snapshot != "" {
		res.flashBytes = fs.Bytes.Load()
		res.flashSyncs = fs.FileSyncs.Load() + fs.DirSyncs.Load()
	} else {
		res.flashBytes = writtenBytes() - wchar0
		res.flashSyncs = 2 * int64(res.commits)
		// Spread evenly: bbolt syncs inside each commit.
		syncTimes = nil
	}
	res.maxSyncsIn30s = maxInWindow(syncTimes, 30)
	if snapshot == "" && end > 0 {
		res.maxSyncsIn30s = (res.flashSyncs*30 + int64(end/time.Second) - 1) / int64(end/time.Second)
	}
	b, s := fs.Bytes.Load(), fs.FileSyncs.Load()+fs.DirSyncs.Load()
	if err := db.Close(); err != nil {
		return res, err
	}
	res.closeBytes, res.closeSyncs = fs.Bytes.Load()-b, fs.FileSyncs.Load()+fs.DirSyncs.Load()-s
	if st, err := os.Stat(live); err == nil {
		res.fileSize = st.Size()
	}
	return res, nil
}

// runTick runs every plugin once: K kv sets, a registry update, a log line.
func runTick(c config, db *store.DB, kvs []*store.KV, tick int, now time.Time, res *result) error {
	one := func(p int) error {
		for k := range c.keys {
			if err := kvs[p].Set(fmt.Sprintf("metric-%02d", k), fmt.Sprintf("%d:%d", tick, tick*(k+1)*(p+1))); err != nil {
				return err
			}
		}
		if err := db.PutPlugin(store.PluginRecord{Name: kvs[p].Plugin(), Version: "1.0.0", Enabled: true, LastRun: now, LastDuration: 2 * time.Millisecond, Runs: uint64(tick)}); err != nil {
			return err
		}
		return db.AppendLog(kvs[p].Plugin(), "info", fmt.Sprintf("collected %d values in run %d", c.keys, tick), now)
	}
	res.kvWrites += c.plugins * c.keys
	if !c.concurrent {
		for p := range kvs {
			if err := one(p); err != nil {
				return err
			}
		}
		return nil
	}
	errs := make(chan error, len(kvs))
	for p := range kvs {
		go func() { errs <- one(p) }()
	}
	for range kvs {
		if err := <-errs; err != nil {
			return err
		}
	}
	return nil
}

// maxInWindow returns the most timestamps (seconds) within any window of w seconds.
func maxInWindow(ts []int64, w int64) int64 {
	var best int64
	lo := 0
	for hi := range ts {
		for ts[hi]-ts[lo] >= w {
			lo++
		}
		best = max(best, int64(hi-lo+1))
	}
	return best
}
