package scaffold

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/heimnetz/heimnetz/limits"
	"github.com/heimnetz/heimnetz/luaplugins"
	"github.com/heimnetz/heimnetz/luaplugins/check"
	"github.com/heimnetz/heimnetz/luaplugins/testrunner"
)

// TestTemplatesPassCheckAndTest holds every template to its promise: the
// plugin it writes has no check finding at all and all its tests pass.
func TestTemplatesPassCheckAndTest(t *testing.T) {
	parent := t.TempDir()
	for _, tp := range Templates() {
		t.Run(tp.Name, func(t *testing.T) {
			dir, err := Write(parent, "t-"+tp.Name, tp.Name, "bin/heimnetz")
			if err != nil {
				t.Fatal(err)
			}
			r, err := check.Path(dir, check.Options{TestGlobals: testrunner.Globals()})
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Findings) != 0 {
				t.Errorf("check findings: %+v", r.Findings)
			}
			if len(r.Metrics) != len(tp.Metrics) {
				t.Errorf("metrics %v, template promises %v", r.Metrics, tp.Metrics)
			}
			rep, err := testrunner.Run(dir, testrunner.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Failed() != 0 || rep.Passed() < 2 {
				t.Errorf("tests: %d passed, %d failed: %+v", rep.Passed(), rep.Failed(), rep.Results)
			}
		})
	}
}

// TestManifestShowsLimits checks that the manifest's table comes from
// package limits.
func TestManifestShowsLimits(t *testing.T) {
	files, err := Render("x", templates[0], "")
	if err != nil {
		t.Fatal(err)
	}
	m := string(files["manifest.yml"])
	c := limits.Ceilings()
	for _, want := range []string{"name: x\n", "#   instructions   10000000     " + c.Format(limits.KeyInstructions), "#   memory         8 MiB        32 MiB", "#   cpu            10%          50%", "permissions: [log, metrics]"} {
		if !strings.Contains(m, want) {
			t.Errorf("manifest lacks %q:\n%s", want, m)
		}
	}
}

// TestRenderRefusesBadMetricNames: a plugin name that would prefix its
// metrics into names the runtime refuses is refused up front.
func TestRenderRefusesBadMetricNames(t *testing.T) {
	for _, name := range []string{"ping-ms", "heimnetz-x", "go-x", "disk-kb"} {
		if _, err := Render(name, templates[0], ""); !errors.Is(err, luaplugins.ErrMetric) {
			t.Errorf("Render(%q) = %v, want a metric name error", name, err)
		}
	}
	if _, err := Render("ping-seconds", templates[0], ""); err != nil {
		t.Errorf("Render(ping-seconds): %v", err)
	}
}

func TestWriteRefuses(t *testing.T) {
	parent := t.TempDir()
	if _, err := Write(parent, "taken", "basic", "heimnetz"); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, tmpl string
		want       error
	}{
		{"taken", "basic", ErrExists},
		{"../escape", "basic", ErrName},
		{"/abs", "basic", ErrName},
		{"Upper", "basic", ErrName},
		{"a/b", "basic", ErrName},
		{"", "basic", ErrName},
		{strings.Repeat("a", 33), "basic", ErrName},
	}
	for _, tc := range cases {
		if _, err := Write(parent, tc.name, tc.tmpl, "heimnetz"); !errors.Is(err, tc.want) {
			t.Errorf("Write(%q): err = %v, want %v", tc.name, err, tc.want)
		}
	}
	if _, err := Write(parent, "fine", "nope", "heimnetz"); err == nil || !strings.Contains(err.Error(), "unknown template") {
		t.Errorf("unknown template: %v", err)
	}
	entries, _ := os.ReadDir(parent)
	if len(entries) != 1 || entries[0].Name() != "taken" {
		t.Errorf("left behind: %v", entries)
	}
	if _, err := os.Stat(filepath.Join(parent, "..", "escape")); err == nil {
		t.Error("wrote outside parent")
	}
}

// TestReadmeNamesRealCommands: the README's commands start with the
// program as the user runs it, and name the archive `plugin pack` writes
// for the manifest's version.
func TestReadmeNamesRealCommands(t *testing.T) {
	for _, tp := range Templates() {
		files, err := Render("wan-watch", tp, "bin/heimnetz")
		if err != nil {
			t.Fatal(err)
		}
		m, err := luaplugins.ParseManifest(files[luaplugins.ManifestFile], "wan-watch", luaplugins.NewRegistry().Permissions(), limits.Ceilings())
		if err != nil {
			t.Fatal(err)
		}
		readme := string(files[luaplugins.ReadmeFile])
		if want := "writes " + luaplugins.PackageFile("wan-watch", m.Version) + ","; !strings.Contains(readme, want) {
			t.Errorf("%s: README lacks %q:\n%s", tp.Name, want, readme)
		}
		_, block, _ := strings.Cut(readme, "```sh\n")
		block, _, _ = strings.Cut(block, "```")
		lines := strings.Split(strings.TrimSpace(block), "\n")
		for _, l := range lines {
			if !strings.HasPrefix(l, "bin/heimnetz plugin ") {
				t.Errorf("%s: README command %q does not start with the program", tp.Name, l)
			}
		}
		if len(lines) != 4 {
			t.Errorf("%s: %d commands", tp.Name, len(lines))
		}
	}
}
