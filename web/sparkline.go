package web

import (
	"strconv"
)

// sparkline is a small inline SVG chart: writeSpark draws the line and
// the filled area from these precomputed point lists (numbers only, so
// nothing in them needs escaping).
type sparkline struct {
	Width, Height int
	Line          string // polyline points
	Area          string // polygon points: the line closed along the bottom; empty for small charts
	Label         string // accessible description, e.g. "CPU, last 60 min"
	Last          string // the newest value, formatted
	Peak          string // the largest value, formatted
	Empty         bool   // fewer than two samples
}

// newSparkline draws vals (oldest first) into a width×height box with a
// zero baseline, averaging down to at most maxPoints points so that a page
// with many charts stays small. format renders Last and Peak; both are
// taken from the points drawn, so the caption describes the line beside
// it. The top of the box stands for the peak, or for fullScale when the
// peak is below it (a CPU chart of 0.03 % then stays near the baseline
// instead of filling the box).
func newSparkline(vals []float64, width, height, maxPoints int, label string, fullScale float64, format func(float64) string) sparkline {
	sp := sparkline{Width: width, Height: height, Label: label}
	vals = downsample(vals, maxPoints)
	if len(vals) > 0 {
		sp.Last = format(vals[len(vals)-1])
	}
	if len(vals) < 2 {
		sp.Empty = true
		return sp
	}
	peak := 0.0
	for _, v := range vals {
		peak = max(peak, v)
	}
	sp.Peak = format(peak)
	scale := 0.0
	if top := max(peak, fullScale); top > 0 {
		scale = float64(height-2) / top
	}
	step := float64(width) / float64(len(vals)-1)
	buf := make([]byte, 0, len(vals)*8)
	for i, v := range vals {
		if i > 0 {
			buf = append(buf, ' ')
		}
		x := float64(i) * step
		y := float64(height-1) - max(v, 0)*scale
		buf = strconv.AppendFloat(buf, round1(x), 'f', -1, 64)
		buf = append(buf, ',')
		buf = strconv.AppendFloat(buf, round1(y), 'f', -1, 64)
	}
	sp.Line = string(buf)
	if width < minAreaWidth {
		return sp
	}
	h := strconv.Itoa(height)
	sp.Area = "0," + h + " " + sp.Line + " " + strconv.Itoa(width) + "," + h
	return sp
}

// minAreaWidth is the smallest chart that gets a filled area; smaller ones
// are a bare line, which halves their size on pages with many charts.
const minAreaWidth = 160

func round1(v float64) float64 {
	return float64(int64(v*10+0.5)) / 10
}

// downsampleWeighted averages vals into at most n buckets as downsample
// does, each value weighted by the same-index weight: the mean request
// latency of a bucket is the mean over its requests, and a quiet interval
// (no requests, mean 0) does not pull it down. A bucket with no weight is 0.
func downsampleWeighted(vals, weights []float64, n int) []float64 {
	if len(weights) != len(vals) {
		return downsample(vals, n)
	}
	if n < 2 || len(vals) <= n {
		n = len(vals)
	}
	out := make([]float64, n)
	per := float64(len(vals)) / float64(max(n, 1))
	for i := range n {
		lo, hi := int(float64(i)*per), int(float64(i+1)*per)
		if i == n-1 {
			hi = len(vals)
		}
		sum, wsum := 0.0, 0.0
		for j := lo; j < hi; j++ {
			sum += vals[j] * weights[j]
			wsum += weights[j]
		}
		if wsum > 0 {
			out[i] = sum / wsum
		}
	}
	return out
}

// downsample averages vals into at most n buckets (newest bucket last).
func downsample(vals []float64, n int) []float64 {
	if n < 2 || len(vals) <= n {
		return vals
	}
	out := make([]float64, n)
	per := float64(len(vals)) / float64(n)
	for i := range n {
		lo, hi := int(float64(i)*per), int(float64(i+1)*per)
		if i == n-1 {
			hi = len(vals)
		}
		sum := 0.0
		for _, v := range vals[lo:hi] {
			sum += v
		}
		out[i] = sum / float64(hi-lo)
	}
	return out
}
