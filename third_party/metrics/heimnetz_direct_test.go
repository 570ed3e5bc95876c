package metrics

import (
	"bytes"
	"io"
	"strings"
	"testing"
)

// TestWritePrometheusDirect checks heimnetz patch 2: writing a set straight
// into a *bytes.Buffer gives the same exposition as through any other
// writer, with and without metadata, after what the buffer already held.
func TestWritePrometheusDirect(t *testing.T) {
	s := NewSet()
	s.NewCounter(`requests_total{path="/a"}`).Add(3)
	s.NewCounter(`requests_total{path="/b"}`).Inc()
	s.NewGauge(`temperature`, func() float64 { return 41.5 })
	s.NewHistogram(`latency_seconds`).Update(0.2)
	s.NewSummary(`size_bytes`).Update(1500)
	s.RegisterMetricsWriter(func(w io.Writer) { WriteGaugeUint64(w, "extra", 7) })
	for _, meta := range []bool{false, true} {
		ExposeMetadata(meta)
		var other strings.Builder
		s.WritePrometheus(&other)
		direct := bytes.NewBufferString("# before\n")
		s.WritePrometheus(direct)
		if got, want := direct.String(), "# before\n"+other.String(); got != want {
			t.Errorf("metadata %v: direct write differs:\n%s\nwant\n%s", meta, got, want)
		}
		if !strings.Contains(other.String(), "extra 7") || !strings.Contains(other.String(), `requests_total{path="/a"} 3`) {
			t.Errorf("metadata %v: exposition lacks series:\n%s", meta, other.String())
		}
	}
	ExposeMetadata(false)
}
