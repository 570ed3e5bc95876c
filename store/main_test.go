package store

import (
	"os"
	"testing"
)

// TestMain runs the crash helper instead of the tests when the crash test
// re-executes this binary (see crash_test.go).
func TestMain(m *testing.M) {
	if spec := os.Getenv(crashHelperEnv); spec != "" {
		os.Exit(runCrashHelper(spec))
	}
	os.Exit(m.Run())
}
