package main

import (
	"strconv"
	"strings"
)

// sumMetric adds up every sample of the metric name in a Prometheus text
// exposition (0 when it has none).
func sumMetric(exposition, name string) float64 {
	var sum float64
	for _, line := range strings.Split(exposition, "\n") {
		rest, ok := strings.CutPrefix(line, name)
		if !ok || rest == "" || (rest[0] != ' ' && rest[0] != '{') {
			continue
		}
		if rest[0] == '{' {
			end := strings.LastIndexByte(rest, '}')
			if end < 0 {
				continue
			}
			rest = rest[end+1:]
		}
		fields := strings.Fields(rest)
		if len(fields) == 0 {
			continue
		}
		if v, err := strconv.ParseFloat(fields[0], 64); err == nil {
			sum += v
		}
	}
	return sum
}

// countSamples counts the sample lines of a Prometheus text exposition.
func countSamples(exposition string) int {
	n := 0
	for _, line := range strings.Split(exposition, "\n") {
		if line = strings.TrimSpace(line); line != "" && line[0] != '#' {
			n++
		}
	}
	return n
}
