package push

import (
	"testing"

	"github.com/heimnetz/heimnetz/web/fixedgzip"
)

// BenchmarkBatch is one collection's work on a real exposition: rewrite
// every sample with two labels and the timestamp, then gzip.
func BenchmarkBatch(b *testing.B) {
	text := readTestdata(b, "metrics.txt")
	extra := []Label{{"instance", "router-1"}, {"site", "home"}}
	var lines, gz []byte
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		lines, _, _ = appendSamples(lines[:0], text, extra, 1767322800123)
		gz = fixedgzip.Append(gz[:0], lines)
	}
	b.ReportMetric(float64(len(lines)), "rewritten-B")
	b.ReportMetric(float64(len(gz)), "gzip-B")
}
