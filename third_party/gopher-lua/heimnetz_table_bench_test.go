package lua

import (
	"strconv"
	"testing"
)

// heimnetz patch 15: benchmarks of tables whose keys change.

// churnKeys are the distinct keys the churn benchmarks cycle through.
var churnKeys = func() []string {
	keys := make([]string, 1<<17)
	for i := range keys {
		keys[i] = "station-" + strconv.Itoa(i)
	}
	return keys
}()

// churn sets key i and clears key i-live, so tb holds at most live keys
// while n distinct keys pass through it.
func churn(tb *LTable, from, n, live int) {
	for i := from; i < from+n; i++ {
		tb.RawSetString(churnKeys[i%len(churnKeys)], LTrue)
		if i >= live {
			tb.RawSetString(churnKeys[(i-live)%len(churnKeys)], LNil)
		}
	}
}

// BenchmarkTableChurn is one set of a new key and one delete in a table
// holding 10 keys, through the whole life of one table (b.N keys).
func BenchmarkTableChurn(b *testing.B) {
	tb := newLTable(0, 0)
	b.ReportAllocs()
	b.ResetTimer()
	churn(tb, 0, b.N, 10)
}

// BenchmarkTablePairsChurned is one full next() traversal of a table that
// holds 10 keys after 100,000 distinct keys went through it.
func BenchmarkTablePairsChurned(b *testing.B) {
	tb := newLTable(0, 0)
	churn(tb, 0, 100000, 10)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n := 0
		for k, _ := tb.Next(LNil); k != LNil; k, _ = tb.Next(k) {
			n++
		}
		if n != 10 {
			b.Fatalf("visited %d keys, want 10", n)
		}
	}
}
