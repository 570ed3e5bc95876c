package luaplugins

import (
	"os"
	"strings"
	"testing"
)

// TestREADMEListsEveryModule keeps the README's module table in step with
// the registry: a module added to the registry and not to the README, or
// a row left for a module that is gone, fails here.
func TestREADMEListsEveryModule(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]bool{}
	for _, line := range strings.Split(string(readme), "\n") {
		if name, ok := strings.CutPrefix(line, "| `"); ok {
			if name, _, ok := strings.Cut(name, "` |"); ok {
				rows[name] = true
			}
		}
	}
	for _, m := range NewRegistry().Modules() {
		if m.Permission == "" {
			continue // base functions every plugin has, described in prose
		}
		if !rows[m.Name] {
			t.Errorf("README.md's module table has no row for host module %q", m.Name)
		}
		delete(rows, m.Name)
	}
	for _, gone := range []string{"io", "os", "debug", "package"} {
		if rows[gone] {
			t.Errorf("README.md lists %q as a host module", gone)
		}
	}
}
