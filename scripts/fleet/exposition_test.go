package main

import "testing"

func TestExposition(t *testing.T) {
	const text = `# HELP vm_rows_inserted_total Rows inserted.
# TYPE vm_rows_inserted_total counter
vm_rows_inserted_total{type="prometheus"} 1200
vm_rows_inserted_total{type="influx",label="a}b"} 30
vm_rows_inserted_total_other 5
vm_rows_inserted_totally{x="1"} 7
heimnetz_push_samples_total 4.5e3
heimnetz_push_samples_total{bad 9

`
	for _, tt := range []struct {
		name string
		want float64
	}{
		{"vm_rows_inserted_total", 1230},
		{"heimnetz_push_samples_total", 4500},
		{"heimnetz_push_failures_total", 0},
	} {
		if got := sumMetric(text, tt.name); got != tt.want {
			t.Errorf("sumMetric(%s) = %v, want %v", tt.name, got, tt.want)
		}
	}
	if got := countSamples(text); got != 6 {
		t.Errorf("countSamples = %d, want 6", got)
	}
}
