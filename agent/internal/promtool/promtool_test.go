package promtool

import "testing"

// TestPromtoolToleranceIsExact: Check lets through the
// camelCase and bits lints for NodeExporterName's names and nothing else.
func TestPromtoolToleranceIsExact(t *testing.T) {
	for line, want := range map[string]bool{
		"node_memory_MemAvailable_bytes metric names should be written in 'snake_case' not 'camelCase'": true,
		"node_memory_HugePages_Total metric names should be written in 'snake_case' not 'camelCase'":    true,
		`node_entropy_available_bits use base unit "bytes" instead of "bits"`:                           true,
		`node_entropy_pool_size_bits use base unit "bytes" instead of "bits"`:                           true,
		"node_memoryX_Foo_bytes metric names should be written in 'snake_case' not 'camelCase'":         false,
		"my_camelCase metric names should be written in 'snake_case' not 'camelCase'":                   false,
		`node_memory_MemTotal_bytes use base unit "bytes" instead of "bits"`:                            false,
		`node_network_receive_bits use base unit "bytes" instead of "bits"`:                             false,
		"node_memory_MemTotal_bytes label names should be written in 'snake_case' not 'camelCase'":      false,
		"node_memory_Swap_ms_bytes metric names should not contain abbreviated units":                   false,
		"node_memory_MemTotal_bytes non-counter metrics should not have \"_total\" suffix":              false,
		"error while linting: text format parsing error in line 1":                                      false,
	} {
		if got := NodeExporterLint(line); got != want {
			t.Errorf("NodeExporterLint(%q) = %v, want %v", line, got, want)
		}
	}
}
