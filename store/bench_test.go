package store

import (
	"fmt"
	"sync/atomic"
	"testing"
	"time"
)

// benchQuota lifts the write rate so benchmarks measure the store.
var benchQuota = Quota{MaxKeys: 1 << 20, MaxBytes: 1 << 40, WritesPerMinute: 1 << 30}

// BenchmarkKVSet is one plugin's acknowledged write (a commit with its
// fsyncs) on a RAM disk when /dev/shm exists.
func BenchmarkKVSet(b *testing.B) {
	db := openTest(b, testOptions(b, nil))
	kv := db.KV("p", benchQuota)
	i := 0
	for b.Loop() {
		if err := kv.Set(fmt.Sprintf("k%d", i%100), fmt.Sprint(i)); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(db.Stats().Commits)/float64(b.N), "commits/op")
}

// BenchmarkKVSetParallel is many plugins writing at once; group commit
// shares commits between them.
func BenchmarkKVSetParallel(b *testing.B) {
	db := openTest(b, testOptions(b, nil))
	var n atomic.Int64
	b.SetParallelism(4)
	b.RunParallel(func(pb *testing.PB) {
		id := n.Add(1)
		kv := db.KV(fmt.Sprintf("p%d", id), benchQuota)
		i := 0
		for pb.Next() {
			if err := kv.Set(fmt.Sprintf("k%d", i%100), fmt.Sprint(i)); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.ReportMetric(float64(db.Stats().Commits)/float64(b.N), "commits/op")
}

// BenchmarkAppendEvent is a non-critical event (redaction, encoding, ring
// accounting; commits happen in Flush).
func BenchmarkAppendEvent(b *testing.B) {
	db := openTest(b, testOptions(b, nil))
	i := 0
	for b.Loop() {
		if _, err := db.AppendEvent(Event{Type: "scan", Severity: Warning, Message: fmt.Sprintf("port scan from 10.0.0.%d on 22,80,443", i%250)}); err != nil {
			b.Fatal(err)
		}
		if i++; i%500 == 0 {
			_ = db.Flush()
		}
	}
}

// BenchmarkAppendNoiseEvent is a noise event into a ring that holds 900
// audit events: every append evicts the oldest noise event.
func BenchmarkAppendNoiseEvent(b *testing.B) {
	db := openTest(b, testOptions(b, nil))
	for i := range 900 {
		if _, err := db.AppendEvent(Event{Type: "admin_action", Message: fmt.Sprint("admin action ", i)}); err != nil {
			b.Fatal(err)
		}
	}
	i := 0
	for b.Loop() {
		if _, err := db.AppendEvent(Event{Type: "login_failed", Severity: Warning, Noise: true, Message: fmt.Sprintf("failed admin login from 10.0.0.%d", i%250)}); err != nil {
			b.Fatal(err)
		}
		if i++; i%500 == 0 {
			_ = db.Flush()
		}
	}
}

// BenchmarkAppendLog is one plugin log line.
func BenchmarkAppendLog(b *testing.B) {
	db := openTest(b, testOptions(b, nil))
	now := time.Now()
	i := 0
	for b.Loop() {
		if err := db.AppendLog("p", "info", fmt.Sprintf("collected 10 values in run %d", i), now); err != nil {
			b.Fatal(err)
		}
		if i++; i%500 == 0 {
			_ = db.Flush()
		}
	}
}

// BenchmarkSnapshot writes the snapshot of a database holding full rings.
func BenchmarkSnapshot(b *testing.B) {
	db := openTest(b, testOptions(b, nil))
	for i := range 2000 {
		_, _ = db.AppendEvent(Event{Type: "t", Message: fmt.Sprintf("event %d with some text", i)})
		_ = db.AppendLog(fmt.Sprintf("p%d", i%10), "info", fmt.Sprintf("line %d", i), time.Time{})
	}
	if err := db.Flush(); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if err := db.Snapshot(); err != nil {
			b.Fatal(err)
		}
	}
}
