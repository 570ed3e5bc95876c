package web

import (
	"runtime/metrics"
)

// RuntimeStats are the agent process's own Go runtime figures, which web
// reads itself (they are the same process).
type RuntimeStats struct {
	HeapObjectsBytes uint64 `json:"heap_objects_bytes"` // live and not yet swept heap objects
	TotalBytes       uint64 `json:"total_bytes"`        // all memory mapped by the Go runtime
	StackBytes       uint64 `json:"stack_bytes"`
	RSSBytes         uint64 `json:"rss_bytes"` // resident set size; 0 where unknown
	Goroutines       uint64 `json:"goroutines"`
	GCCycles         uint64 `json:"gc_cycles"`
}

var runtimeSampleNames = []string{
	"/memory/classes/heap/objects:bytes",
	"/memory/classes/total:bytes",
	"/memory/classes/heap/stacks:bytes",
	"/memory/classes/os-stacks:bytes",
	"/sched/goroutines:goroutines",
	"/gc/cycles/total:gc-cycles",
}

// readRuntimeStats reads the runtime figures without stopping the world.
func readRuntimeStats() RuntimeStats {
	samples := make([]metrics.Sample, len(runtimeSampleNames))
	for i, n := range runtimeSampleNames {
		samples[i].Name = n
	}
	metrics.Read(samples)
	u := func(i int) uint64 {
		if samples[i].Value.Kind() == metrics.KindUint64 {
			return samples[i].Value.Uint64()
		}
		return 0
	}
	return RuntimeStats{
		HeapObjectsBytes: u(0),
		TotalBytes:       u(1),
		StackBytes:       u(2) + u(3),
		RSSBytes:         residentBytes(),
		Goroutines:       u(4),
		GCCycles:         u(5),
	}
}
