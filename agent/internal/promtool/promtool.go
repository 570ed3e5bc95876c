// Package promtool checks a Prometheus exposition with the real
// promtool (Debian's prometheus package) for the agent's tests.
package promtool

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/heimnetz/heimnetz/luaplugins"
)

// Check runs `promtool check metrics` on a scrape and fails t on any
// finding but the node_exporter name lints NodeExporterLint allows. It
// skips without promtool, and fails under CI.
func Check(t testing.TB, metrics string) {
	t.Helper()
	promtool, err := exec.LookPath("promtool")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("promtool is missing (make test installs Debian's prometheus package)")
		}
		t.Skip("promtool not installed; run `make deps`")
	}
	cmd := exec.Command(promtool, "check", "metrics")
	cmd.Stdin = strings.NewReader(metrics)
	out, err := cmd.CombinedOutput()
	// The bundled plugins export node_exporter's exact names so that its
	// dashboards work; promtool lints two rules on some of them. Those two
	// lints, for the names luaplugins.NodeExporterName allows, are the
	// only findings tolerated (promtool then exits 3, its lint status);
	// anything else, or any other exit, fails.
	var rest []string
	tolerated := 0
	for line := range strings.Lines(strings.TrimSpace(string(out))) {
		switch line = strings.TrimSpace(line); {
		case line == "":
		case NodeExporterLint(line):
			tolerated++
		default:
			rest = append(rest, line)
		}
	}
	t.Logf("promtool check metrics: %d node_exporter name lints tolerated", tolerated)
	var exit *exec.ExitError
	linted := errors.As(err, &exit) && exit.ExitCode() == 3 && len(bytes.TrimSpace(out)) > 0
	if len(rest) > 0 || err != nil && !linted {
		t.Errorf("promtool check metrics: %v\n%s", err, out)
	}
}

// NodeExporterLint reports whether a line of promtool's output is a lint
// luaplugins.NodeExporterLint tolerates (one rule, kept there).
func NodeExporterLint(line string) bool { return luaplugins.NodeExporterLint(line) }
