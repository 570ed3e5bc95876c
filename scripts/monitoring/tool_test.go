package monitoring

import (
	"os"
	"os/exec"
	"testing"
)

// requireTool returns the path of a program the test runs; without it the
// test skips, or fails under CI, which must run every test. Under qemu
// (scripts/emulated) it skips: the tools are the host's, and the native
// suite runs these tests.
func requireTool(t *testing.T, name string) string {
	t.Helper()
	if os.Getenv("HEIMNETZ_EMULATED") != "" {
		t.Skipf("under qemu: the native suite runs %s", name)
	}
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
