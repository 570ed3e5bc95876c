package monitoring

import (
	"os"
	"os/exec"
	"testing"
)

// requireTool returns the path of a program the test runs; without it the
// test skips, or fails under CI, which must run every test.
func requireTool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s is missing: CI must run the monitoring tests (scripts/deps.sh installs Debian's prometheus package)", name)
	}
	t.Skipf("%s not installed; run scripts/deps.sh", name)
	return ""
}
