package web

import (
	"sync"
	"time"
)

// rateLimiter is a token bucket per key (a client address) with a bounded
// number of keys. A full map first forgets buckets that have refilled
// completely (they carry no information), then the least recently used one.
type rateLimiter struct {
	mu      sync.Mutex
	buckets map[string]*bucket
	burst   float64
	refill  time.Duration // time to earn one token
	maxKeys int
	now     func() time.Time
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newRateLimiter(burst int, refill time.Duration, maxKeys int, now func() time.Time) *rateLimiter {
	return &rateLimiter{buckets: make(map[string]*bucket), burst: float64(burst), refill: refill, maxKeys: maxKeys, now: now}
}

// allow takes one token for key. When none is left it returns false and how
// long until the next token.
func (r *rateLimiter) allow(key string) (bool, time.Duration) {
	now := r.now()
	r.mu.Lock()
	defer r.mu.Unlock()
	b, ok := r.buckets[key]
	if !ok {
		if len(r.buckets) >= r.maxKeys {
			r.makeRoomLocked(now)
		}
		b = &bucket{tokens: r.burst, last: now}
		r.buckets[key] = b
	}
	r.refillLocked(b, now)
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	wait := time.Duration((1 - b.tokens) * float64(r.refill))
	return false, wait
}

func (r *rateLimiter) refillLocked(b *bucket, now time.Time) {
	if elapsed := now.Sub(b.last); elapsed > 0 {
		b.tokens += float64(elapsed) / float64(r.refill)
		if b.tokens > r.burst {
			b.tokens = r.burst
		}
	}
	b.last = now
}

func (r *rateLimiter) makeRoomLocked(now time.Time) {
	full := time.Duration(r.burst * float64(r.refill))
	for k, b := range r.buckets {
		if now.Sub(b.last) >= full {
			delete(r.buckets, k)
		}
	}
	for len(r.buckets) >= r.maxKeys {
		var oldestKey string
		var oldest *bucket
		for k, b := range r.buckets {
			if oldest == nil || b.last.Before(oldest.last) {
				oldestKey, oldest = k, b
			}
		}
		delete(r.buckets, oldestKey)
	}
}

// len returns the number of tracked keys.
func (r *rateLimiter) len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.buckets)
}
