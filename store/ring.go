package store

import "sort"

// ringEntry is one record of a bounded ring: its sequence number and the
// bytes it takes in the database (key plus encoded value).
type ringEntry struct {
	seq  uint64
	size int64
}

// ring is the in-memory index of a bounded ring stored in a bucket: the
// sequence numbers and sizes of the kept records, oldest first. It lets the
// store enforce the bounds at append time without reading the bucket.
type ring struct {
	items []ringEntry
	head  int
	bytes int64
}

// len returns the number of kept records.
func (r *ring) len() int { return len(r.items) - r.head }

// push adds a record at the newest end.
func (r *ring) push(seq uint64, size int64) {
	r.items = append(r.items, ringEntry{seq: seq, size: size})
	r.bytes += size
}

// pop removes and returns the oldest record.
func (r *ring) pop() (ringEntry, bool) {
	if r.len() == 0 {
		return ringEntry{}, false
	}
	e := r.items[r.head]
	r.head++
	r.bytes -= e.size
	// Compact once the dead prefix is as large as the live part, so the
	// backing array stays within twice the ring's bound.
	if r.head > 64 && r.head*2 >= len(r.items) {
		n := copy(r.items, r.items[r.head:])
		r.items = r.items[:n]
		r.head = 0
	}
	return e, true
}

// oldest returns the oldest kept record.
func (r *ring) oldest() (ringEntry, bool) {
	if r.len() == 0 {
		return ringEntry{}, false
	}
	return r.items[r.head], true
}

// evict pops records until at most maxCount records and maxBytes bytes are
// kept, and calls drop for each. A record larger than maxBytes on its own
// is dropped too, so the bounds always hold.
func (r *ring) evict(maxCount int, maxBytes int64, drop func(ringEntry)) {
	for r.len() > 0 && (r.len() > maxCount || r.bytes > maxBytes) {
		e, _ := r.pop()
		drop(e)
	}
}

// contains reports whether the record seq is kept.
func (r *ring) contains(seq uint64) bool {
	live := r.items[r.head:]
	i := sort.Search(len(live), func(i int) bool { return live[i].seq >= seq })
	return i < len(live) && live[i].seq == seq
}

// resize changes the recorded size of the record seq, if it is kept.
func (r *ring) resize(seq uint64, size int64) {
	live := r.items[r.head:]
	i := sort.Search(len(live), func(i int) bool { return live[i].seq >= seq })
	if i < len(live) && live[i].seq == seq {
		r.bytes += size - live[i].size
		live[i].size = size
	}
}
