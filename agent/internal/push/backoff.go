package push

import "time"

// backoff is the wait before retrying a failed delivery: Min after the
// first failure, doubling after each further one up to Max, with jitter
// so that routers that lost the same endpoint do not retry in step. It is
// not safe for concurrent use.
type backoff struct {
	Min, Max time.Duration
	// Jitter returns a number in [0, 1); the wait is d/2 + Jitter()·d/2
	// for the doubled d.
	Jitter   func() float64
	failures int
}

// next returns the wait after one more failure.
func (b *backoff) next() time.Duration {
	d := b.Min
	for i := 0; i < b.failures && d < b.Max; i++ {
		d *= 2
	}
	d = min(d, b.Max)
	b.failures++
	half := d / 2
	return half + time.Duration(b.Jitter()*float64(d-half))
}

// reset starts over after a success.
func (b *backoff) reset() { b.failures = 0 }
