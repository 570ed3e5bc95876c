package leak

import "slices"

// fit is what the tracker concludes from one window of samples.
type fit struct {
	slope       float64 // Theil–Sen slope, bytes per run
	recent      float64 // Theil–Sen slope of the later half of the window
	concordance float64 // fraction of sample pairs that rise
	span        int     // runs from the first sample to the last
	// stillRising: the newest sample is above the median of the later
	// half (a warm-up that has just settled is not).
	stillRising bool
}

// growth is the fitted growth over the window, in bytes.
func (f fit) growth() float64 { return f.slope * float64(f.span) }

// fitter computes fits, reusing its scratch space; the window holds at
// most maxWindow samples, so the space is bounded.
type fitter struct {
	slopes []float64
}

// fit fits the window w (oldest first, strictly increasing runs, at least
// two samples).
func (ft *fitter) fit(w []sample) fit {
	f := fit{span: int(w[len(w)-1].last - w[0].run)}
	var rising, pairs int
	f.slope = ft.theilSen(w, func(a, b sample) {
		pairs++
		if b.bytes > a.bytes {
			rising++
		}
	})
	if pairs > 0 {
		f.concordance = float64(rising) / float64(pairs)
	}
	half := w[len(w)/2:]
	if len(half) >= 2 {
		f.recent = ft.theilSen(half, nil)
		f.stillRising = float64(w[len(w)-1].bytes) > ft.median(half)
	}
	return f
}

// median returns the median bytes of w.
func (ft *fitter) median(w []sample) float64 {
	ft.slopes = ft.slopes[:0]
	for _, s := range w {
		ft.slopes = append(ft.slopes, float64(s.bytes))
	}
	return ft.mid()
}

// mid returns the median of ft.slopes, sorting them.
func (ft *fitter) mid() float64 {
	if len(ft.slopes) == 0 {
		return 0
	}
	slices.Sort(ft.slopes)
	n := len(ft.slopes)
	if n%2 == 1 {
		return ft.slopes[n/2]
	}
	return (ft.slopes[n/2-1] + ft.slopes[n/2]) / 2
}

// theilSen returns the median of the slopes between every two samples of
// w, calling pair (when not nil) for each pair.
func (ft *fitter) theilSen(w []sample, pair func(a, b sample)) float64 {
	ft.slopes = ft.slopes[:0]
	for i := range w {
		for j := i + 1; j < len(w); j++ {
			if pair != nil {
				pair(w[i], w[j])
			}
			dx := float64(w[j].run - w[i].run)
			ft.slopes = append(ft.slopes, float64(w[j].bytes-w[i].bytes)/dx)
		}
	}
	return ft.mid()
}
