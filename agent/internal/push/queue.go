package push

import "time"

// batch is one collection: its samples gzipped, one gzip member.
type batch struct {
	gz      []byte
	samples int
	at      time.Time // when the samples were taken
}

// queue holds the batches not yet delivered, oldest first, never more
// than limit bytes of them. It is not safe for concurrent use.
type queue struct {
	batches []batch
	bytes   int
	limit   int
}

// add appends b, first dropping the oldest batches until b fits; a batch
// larger than the whole limit is dropped itself. It returns the samples
// dropped.
func (q *queue) add(b batch) (dropped int) {
	if len(b.gz) > q.limit {
		return b.samples
	}
	for q.bytes+len(b.gz) > q.limit {
		dropped += q.batches[0].samples
		q.drop(1)
	}
	q.batches = append(q.batches, b)
	q.bytes += len(b.gz)
	return dropped
}

// chunk returns how many of the oldest batches make one request of at
// most max bytes (at least one, whatever its size), and their samples.
func (q *queue) chunk(max int) (n, samples int) {
	size := 0
	for _, b := range q.batches {
		if n > 0 && size+len(b.gz) > max {
			break
		}
		size += len(b.gz)
		samples += b.samples
		n++
	}
	return n, samples
}

// drop removes the n oldest batches.
func (q *queue) drop(n int) {
	for i := range n {
		q.bytes -= len(q.batches[i].gz)
		q.batches[i] = batch{}
	}
	q.batches = q.batches[n:]
	if len(q.batches) == 0 {
		q.batches = nil // let the backing array go after an outage
	}
}
