package web

import (
	"bytes"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	vm "github.com/VictoriaMetrics/metrics"
)

// promtool returns the promtool binary, skipping the test when it is
// missing outside CI and failing it under CI.
func promtool(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("promtool")
	if err == nil {
		return p
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("promtool is not installed; under CI it must be (apt-get install -y prometheus)")
	}
	t.Skip("promtool not installed (Debian package prometheus); skipping the exposition lint")
	return ""
}

func checkWithPromtool(t *testing.T, text string) {
	t.Helper()
	cmd := exec.Command(promtool(t), "check", "metrics")
	cmd.Stdin = strings.NewReader(text)
	out, err := cmd.CombinedOutput()
	if err != nil || len(bytes.TrimSpace(out)) > 0 {
		t.Fatalf("promtool check metrics: %v\n%s\n--- scraped:\n%s", err, out, text)
	}
}

func TestMetricsPassPromtool(t *testing.T) {
	e := newTestEnv(t)
	for _, p := range []string{"/", "/plugins/net", "/api/v1/plugins", "/nope", "/api/v1/events?limit=0", "/healthz"} {
		e.get(p)
	}
	e.do("POST", "/api/v1/plugins/net/disable", "")
	r := e.get("/metrics")
	if r.code != 200 {
		t.Fatalf("GET /metrics = %d", r.code)
	}
	for _, want := range []string{
		`heimnetz_server_requests_total{route="overview",code="200"} 1`,
		`heimnetz_server_requests_total{route="not_found",code="404"} 1`,
		`heimnetz_server_requests_total{route="api_events",code="400"} 1`,
		`heimnetz_server_requests_total{route="api_plugin_action",code="401"} 1`,
		`heimnetz_server_request_duration_seconds_bucket{route="overview",le="+Inf"} 1`,
		`heimnetz_server_request_duration_seconds_count{route="api_plugins"} 1`,
		"# TYPE heimnetz_server_memory_usage_bytes gauge\nheimnetz_server_memory_usage_bytes ",
		`heimnetz_plugin_executions_total{plugin="net"} 240`,
		`heimnetz_server_connections_shed_total{reason="displaced"} 0`,
	} {
		if !strings.Contains(r.body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	// Only this request's connection, once the server has counted out
	// any earlier one the client let go (a keep-alive it did not trust).
	const oneConn = "# TYPE heimnetz_server_active_connections gauge\nheimnetz_server_active_connections 1\n"
	waitFor(t, func() bool { return strings.Contains(e.get("/metrics").body, oneConn) }, "heimnetz_server_active_connections 1")
	checkWithPromtool(t, r.body)
}

// TestMetricsMetadataNotDuplicated checks that turning on the library's own
// metadata elsewhere in the process does not produce a second HELP/TYPE.
func TestMetricsMetadataNotDuplicated(t *testing.T) {
	vm.ExposeMetadata(true)
	defer vm.ExposeMetadata(false)
	m := newServerMetrics()
	m.observe(routeOverview, 200, time.Millisecond)
	var buf bytes.Buffer
	m.write(&buf)
	if n := strings.Count(buf.String(), "# TYPE heimnetz_server_request_duration_seconds "); n != 1 {
		t.Fatalf("%d TYPE lines for the histogram:\n%s", n, buf.String())
	}
	checkWithPromtool(t, buf.String())
}

func TestStatusCodeLabelBounded(t *testing.T) {
	m := newServerMetrics()
	for code := 100; code < 600; code++ {
		m.observe(routeMetrics, code, time.Microsecond)
	}
	var buf bytes.Buffer
	m.write(&buf)
	re := regexp.MustCompile(`(?m)^heimnetz_server_requests_total\{route="metrics",code="([^"]+)"\} (\d+)$`)
	ms := re.FindAllStringSubmatch(buf.String(), -1)
	if len(ms) != len(statusCodes)+1 {
		t.Fatalf("%d code series, want %d", len(ms), len(statusCodes)+1)
	}
	for _, x := range ms {
		if x[1] == "other" && x[2] != itoa(uint64(500-len(statusCodes))) {
			t.Fatalf("other = %s, want %d", x[2], 500-len(statusCodes))
		}
	}
}

func TestLatencySampleResets(t *testing.T) {
	m := newServerMetrics()
	m.observe(routeOverview, 200, 2*time.Millisecond)
	m.observe(routeOverview, 200, 4*time.Millisecond)
	mean, mx, n := m.latencySample()
	if n != 2 || mean != 0.003 || mx != 0.004 {
		t.Fatalf("sample = %v %v %d, want 0.003 0.004 2", mean, mx, n)
	}
	if mean, mx, n := m.latencySample(); n != 0 || mean != 0 || mx != 0 {
		t.Fatalf("second sample = %v %v %d, want zeros", mean, mx, n)
	}
}
