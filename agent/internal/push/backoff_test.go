package push

import (
	"testing"
	"time"
)

func TestBackoffSchedule(t *testing.T) {
	for _, tt := range []struct {
		jitter float64
		want   []float64
	}{
		{1, []float64{1, 2, 4, 8, 16, 32, 64, 120, 120, 120}},
		{0, []float64{0.5, 1, 2, 4, 8, 16, 32, 60, 60, 60}},
	} {
		b := backoff{Min: time.Second, Max: 2 * time.Minute, Jitter: func() float64 { return tt.jitter }}
		for i, w := range tt.want {
			if got := b.next(); got != time.Duration(w*float64(time.Second)) {
				t.Errorf("jitter %v, failure %d: wait %v, want %vs", tt.jitter, i+1, got, w)
			}
		}
		b.reset()
		if got := b.next(); got != time.Duration(tt.want[0]*float64(time.Second)) {
			t.Errorf("after reset: %v", got)
		}
	}
}
