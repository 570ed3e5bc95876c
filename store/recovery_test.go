package store

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// writeSampleDB creates a database at o's paths holding kv data of plugin
// "p" (n keys), closes it (writing the snapshot) and returns the bytes of
// the live file.
func writeSampleDB(t testing.TB, o Options, n int) []byte {
	t.Helper()
	db, err := Open(o)
	if err != nil {
		t.Fatal(err)
	}
	// One transaction instead of n acknowledged writes keeps the test fast.
	err = db.update(func(tx *bolt.Tx) error {
		b, err := tx.Bucket(bucketKV).CreateBucketIfNotExists([]byte("p"))
		if err != nil {
			return err
		}
		for i := range n {
			if err := b.Put(fmt.Appendf(nil, "key-%05d", i), []byte(strings.Repeat("v", 100)+fmt.Sprint(i))); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(o.LivePath)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// badFiles are live-file contents Open must move aside.
func badFiles(t testing.TB, good []byte) map[string][]byte {
	ps := os.Getpagesize()
	flipped := bytes.Clone(good)
	for i := 2 * ps; i < len(flipped); i += 97 {
		flipped[i] ^= 0x5a
	}
	sqlite := append([]byte("SQLite format 3\x00"), make([]byte, 4080)...)
	random := make([]byte, 64<<10)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range random {
		random[i] = byte(r.UintN(256))
	}
	bothMeta := bytes.Clone(good)
	bothMeta[16] ^= 0xff
	bothMeta[ps+16] ^= 0xff
	return map[string][]byte{
		"zero length":      {},
		"text file":        []byte("# heimnetz config\nlisten = 0.0.0.0\n"),
		"sqlite":           sqlite,
		"random bytes":     random,
		"truncated":        good[:len(good)/3],
		"short":            good[:100],
		"pages corrupted":  flipped,
		"both metas wiped": bothMeta,
	}
}

func TestOpenBadLiveFile(t *testing.T) {
	base := testOptions(t, nil)
	good := writeSampleDB(t, base, 300)
	for name, content := range badFiles(t, good) {
		for _, withSnapshot := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s/snapshot=%v", name, withSnapshot), func(t *testing.T) {
				o := testOptions(t, newTestClock())
				writeSampleDB(t, o, 3)
				if !withSnapshot {
					if err := os.Remove(o.SnapshotPath); err != nil {
						t.Fatal(err)
					}
				}
				if err := os.WriteFile(o.LivePath, content, 0o600); err != nil {
					t.Fatal(err)
				}
				db, err := Open(o)
				if err != nil {
					t.Fatalf("Open: %v", err)
				}
				defer db.Close()
				if err := db.Check(); err != nil {
					t.Fatalf("Check after recovery: %v", err)
				}
				bad, _ := filepath.Glob(o.LivePath + ".bad-*")
				if len(bad) != 1 {
					t.Fatalf("moved-aside files: %v", bad)
				}
				kept, _ := os.ReadFile(bad[0])
				if !bytes.Equal(kept, content) {
					t.Fatalf("moved-aside file differs from the bad file")
				}
				notes := fmt.Sprint(db.Notices())
				if !strings.Contains(notes, "moved aside to "+bad[0]) {
					t.Fatalf("notices %s do not name %s", notes, bad[0])
				}
				v, ok, _ := db.KV("p", DefaultQuota()).Get("key-00001")
				if withSnapshot && (!ok || !strings.HasSuffix(v, "1")) {
					t.Fatalf("data from the snapshot missing: %q %v; notices %s", v, ok, notes)
				}
				if !withSnapshot && ok {
					t.Fatalf("fresh database holds data")
				}
				if withSnapshot && !strings.Contains(notes, "restored") {
					t.Fatalf("notices do not mention the restore: %s", notes)
				}
				evs, _ := db.Events(0, 0)
				if len(evs) == 0 || evs[len(evs)-1].Type != EventTypeStoreRecovered {
					t.Fatalf("notices not recorded as events: %+v", evs)
				}
			})
		}
	}
}

func TestOpenBadSnapshot(t *testing.T) {
	o := testOptions(t, newTestClock())
	writeSampleDB(t, o, 3)
	if err := os.Remove(o.LivePath); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(o.SnapshotPath, []byte("garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	db := openTest(t, o)
	if _, ok, _ := db.KV("p", DefaultQuota()).Get("key-00001"); ok {
		t.Fatal("data from a garbage snapshot")
	}
	bad, _ := filepath.Glob(o.SnapshotPath + ".bad-*")
	if len(bad) != 1 || !strings.Contains(fmt.Sprint(db.Notices()), "no usable snapshot") {
		t.Fatalf("bad snapshot not moved aside: %v, %v", bad, db.Notices())
	}
}

func TestOpenRestoresAfterReboot(t *testing.T) {
	o := testOptions(t, newTestClock())
	writeSampleDB(t, o, 10)
	// A reboot empties the RAM directory.
	if err := os.RemoveAll(filepath.Dir(o.LivePath)); err != nil {
		t.Fatal(err)
	}
	db := openTest(t, o)
	if v, ok, _ := db.KV("p", DefaultQuota()).Get("key-00009"); !ok || !strings.HasSuffix(v, "9") {
		t.Fatalf("key-00009 = %q, %v after restore", v, ok)
	}
	if n := db.KV("p", DefaultQuota()).Usage().Keys; n != 10 {
		t.Fatalf("%d keys after restore", n)
	}
	if notes := fmt.Sprint(db.Notices()); !strings.Contains(notes, "restored") {
		t.Fatalf("notices: %s", notes)
	}
}

func TestOpenLocked(t *testing.T) {
	o := testOptions(t, nil)
	db := openTest(t, o)
	start := time.Now()
	_, err := Open(o)
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second Open = %v, want ErrLocked", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("second Open took %v", d)
	}
	if bad, _ := filepath.Glob(o.LivePath + ".bad-*"); len(bad) != 0 {
		t.Fatalf("locked file moved aside: %v", bad)
	}
	if err := db.KV("p", DefaultQuota()).Set("k", "still works"); err != nil {
		t.Fatal(err)
	}
}

func TestOpenNewerSchema(t *testing.T) {
	o := testOptions(t, nil)
	writeSampleDB(t, o, 1)
	for _, path := range []string{o.LivePath, o.SnapshotPath} {
		b, err := bolt.Open(path, 0o600, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := b.Update(func(tx *bolt.Tx) error {
			return tx.Bucket(bucketMeta).Put(keySchema, encodeUint32(SchemaVersion+1))
		}); err != nil {
			t.Fatal(err)
		}
		b.Close()
	}
	_, err := Open(o)
	if !errors.Is(err, ErrSchema) || !strings.Contains(err.Error(), fmt.Sprintf("schema v%d", SchemaVersion+1)) {
		t.Fatalf("Open = %v, want ErrSchema naming v%d", err, SchemaVersion+1)
	}
	if bad, _ := filepath.Glob(o.LivePath + ".bad-*"); len(bad) != 0 {
		t.Fatalf("newer file moved aside: %v", bad)
	}
}

func TestVerifyAcceptsWhatBboltWrites(t *testing.T) {
	// Random workloads of kv sets, deletes, nested buckets and rings: every
	// file bbolt writes must pass the structural check.
	r := rand.New(rand.NewPCG(7, 7))
	o := testOptions(t, nil)
	o.MaxEvents, o.MaxLogLines = 200, 50
	db := openTest(t, o)
	q := Quota{MaxKeys: 1 << 20, MaxBytes: 1 << 40, MaxValueLen: 16 << 10, WritesPerMinute: 1 << 30}
	for round := range 8 {
		// Twelve plugins write at once so bbolt batches their commits.
		var wg sync.WaitGroup
		for p := range 12 {
			seed := r.Uint64()
			wg.Go(func() {
				pr := rand.New(rand.NewPCG(seed, 1))
				kv := db.KV(fmt.Sprintf("p%d", p), q)
				for range 25 {
					key := fmt.Sprintf("k%d", pr.IntN(400))
					if pr.IntN(4) == 0 {
						_ = kv.Delete(key)
					} else {
						_ = kv.Set(key, strings.Repeat("x", pr.IntN(6000)))
					}
				}
			})
		}
		wg.Wait()
		for i := range 100 {
			_, _ = db.AppendEvent(Event{Type: "t", Message: fmt.Sprint(round, i)})
			_ = db.AppendLog("p1", "info", fmt.Sprint(i), time.Time{})
		}
		if round%3 == 2 {
			_ = db.KV(fmt.Sprintf("p%d", r.IntN(12)), q).Clear()
		}
		if err := db.Flush(); err != nil {
			t.Fatal(err)
		}
		copyPath := filepath.Join(ramTempDir(t), "copy.db")
		f, err := os.Create(copyPath)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Export(f); err != nil {
			t.Fatal(err)
		}
		f.Close()
		if err := verifyFile(copyPath); err != nil {
			t.Fatalf("round %d: verifyFile rejects a good file: %v", round, err)
		}
		if err := verifyFile(o.LivePath); err != nil {
			t.Fatalf("round %d: verifyFile rejects the live file: %v", round, err)
		}
	}
}

// FuzzOpen writes arbitrary bytes, or a valid database with bytes
// patched in, as the live file: Open must never panic, must end with a
// usable database and Check must pass.
func FuzzOpen(f *testing.F) {
	dir := ramTempDir(f)
	o := Options{LivePath: filepath.Join(dir, "seed.db"), Manual: true}
	good := writeSampleDB(f, o, 200)
	f.Add([]byte{}, uint32(0), false)
	f.Add([]byte("hello"), uint32(0), false)
	f.Add([]byte("SQLite format 3\x00"), uint32(0), false)
	f.Add(good[:4096], uint32(0), false)
	f.Add([]byte{0xff, 0xff, 0xff, 0xff}, uint32(3*4096+20), true)
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0, 0}, uint32(2*4096+16), true)
	f.Add([]byte{9, 0, 0, 0, 0, 0, 0, 0}, uint32(4096*4+16+8), true)
	f.Fuzz(func(t *testing.T, data []byte, off uint32, patch bool) {
		content := data
		if patch {
			content = bytes.Clone(good)
			at := int(off) % len(content)
			copy(content[at:], data)
		}
		dir := ramTempDir(t)
		o := Options{LivePath: filepath.Join(dir, "live.db"), SnapshotPath: filepath.Join(dir, "snap.db"), Manual: true, LockTimeout: time.Second}
		if err := os.WriteFile(o.LivePath, content, 0o600); err != nil {
			t.Fatal(err)
		}
		db, err := Open(o)
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		defer db.Close()
		if err := db.Check(); err != nil {
			t.Fatalf("Check: %v", err)
		}
		if err := db.KV("p", DefaultQuota()).Set("after", "fuzz"); err != nil {
			t.Fatalf("Set after Open: %v", err)
		}
	})
}

func TestBadFilesPruned(t *testing.T) {
	clock := newTestClock()
	o := testOptions(t, clock)
	o.SnapshotPath = ""
	if err := mkdirFor(o.LivePath); err != nil {
		t.Fatal(err)
	}
	for i := range MaxBadFiles + 3 {
		clock.Advance(time.Second)
		if err := os.WriteFile(o.LivePath, []byte(fmt.Sprintf("bad %d", i)), 0o600); err != nil {
			t.Fatal(err)
		}
		db, err := Open(o)
		if err != nil {
			t.Fatal(err)
		}
		db.Close()
	}
	bad, _ := filepath.Glob(o.LivePath + ".bad-*")
	if len(bad) != MaxBadFiles {
		t.Fatalf("%d bad copies kept, want %d: %v", len(bad), MaxBadFiles, bad)
	}
	newest, _ := os.ReadFile(bad[len(bad)-1])
	if string(newest) != fmt.Sprintf("bad %d", MaxBadFiles+2) {
		t.Fatalf("newest bad copy holds %q", newest)
	}
}
