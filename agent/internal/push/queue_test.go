package push

import (
	"testing"
	"time"
)

// TestQueueBound: a long outage keeps adding batches; the queue never
// passes its bound, drops the oldest first and counts their samples.
func TestQueueBound(t *testing.T) {
	q := queue{limit: 1000}
	at := time.Unix(0, 0)
	added, dropped := 0, 0
	for i := range 500 {
		size := 50 + i%7*20 // 50..170 bytes
		dropped += q.add(batch{gz: make([]byte, size), samples: i + 1, at: at.Add(time.Duration(i) * time.Second)})
		added += i + 1
		if q.bytes > q.limit {
			t.Fatalf("after %d batches: %d bytes queued, bound %d", i+1, q.bytes, q.limit)
		}
		sum, kept := 0, 0
		for j, b := range q.batches {
			sum += len(b.gz)
			kept += b.samples
			if j > 0 && !b.at.After(q.batches[j-1].at) {
				t.Fatalf("batches out of order at %d", j)
			}
		}
		if sum != q.bytes || kept+dropped != added {
			t.Fatalf("after %d: bytes %d (counted %d), kept %d + dropped %d != added %d", i+1, sum, q.bytes, kept, dropped, added)
		}
	}
	if last := q.batches[len(q.batches)-1]; last.samples != 500 {
		t.Errorf("newest batch kept has %d samples, want the last one (500)", last.samples)
	}
}

func TestQueueOversizedBatchDropped(t *testing.T) {
	q := queue{limit: 100}
	q.add(batch{gz: make([]byte, 60), samples: 1})
	if d := q.add(batch{gz: make([]byte, 101), samples: 9}); d != 9 || len(q.batches) != 1 {
		t.Errorf("oversized batch: dropped %d, %d queued; want 9 dropped and the older batch kept", d, len(q.batches))
	}
}

func TestQueueChunk(t *testing.T) {
	q := queue{limit: 1 << 20}
	for _, n := range []int{100, 100, 100, 500, 50} {
		q.add(batch{gz: make([]byte, n), samples: n})
	}
	for _, tt := range []struct{ max, n, samples int }{{250, 2, 200}, {300, 3, 300}, {10, 1, 100}, {1 << 20, 5, 850}} {
		if n, s := q.chunk(tt.max); n != tt.n || s != tt.samples {
			t.Errorf("chunk(%d) = %d batches, %d samples; want %d, %d", tt.max, n, s, tt.n, tt.samples)
		}
	}
	q.drop(5)
	if q.bytes != 0 || q.batches != nil {
		t.Errorf("after dropping all: %d bytes, %v", q.bytes, q.batches)
	}
}
