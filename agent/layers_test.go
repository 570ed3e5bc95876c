package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// importLayers is ARCHITECTURE.md's import direction: a package may import
// project packages on lower layers only. A new package must be placed
// here (and in ARCHITECTURE.md) before the test passes.
var importLayers = map[string]int{
	"agent":                    6,
	"scripts/cross/sizes":      6,
	"scripts/fleet":            6,
	"scripts/footprint/idle":   6,
	"scripts/homenet":          6,
	"scripts/monitoring":       6,
	"scripts/store/flashbench": 6,
	"agent/internal/core":      5,
	"agent/internal/promtool":  4,
	"luaplugins/docs":          4,
	"agent/internal/config":    3,
	"luaplugins/check":         3,
	"luaplugins/pack":          3,
	"luaplugins/testrunner":    3,
	"luaplugins/scaffold":      3,
	"web":                      3,
	"web/webtest":              4,
	"luaplugins":               2,
	"store":                    2,
	"board":                    1,
	"agent/internal/push":      1,
	"limits":                   1,
	"limits/oneline":           0,
	"agent/buildinfo":          0,
	"web/fixedgzip":            0,
	"luaplugins/corpus":        0,
	"settings":                 0,
	"agent/internal/leak":      0,
	"agent/internal/alerts":    0,
}

// TestImportLayers: imports run one way, as ARCHITECTURE.md draws them;
// in particular web reaches the agent only through web.Backend and
// nothing below agent/internal/core knows the agent.
func TestImportLayers(t *testing.T) {
	if os.Getenv("HEIMNETZ_EMULATED") != "" {
		t.Skip("under qemu: the native suite checks the import layers")
	}
	const mod = "github.com/heimnetz/heimnetz/"
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, "../...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	seen := 0
	for line := range strings.Lines(string(out)) {
		f := strings.Fields(line)
		pkg := strings.TrimPrefix(f[0], mod)
		layer, ok := importLayers[pkg]
		if !ok {
			t.Errorf("package %s has no layer: place it in importLayers and ARCHITECTURE.md", pkg)
			continue
		}
		seen++
		for _, imp := range f[1:] {
			dep, ours := strings.CutPrefix(imp, mod)
			if !ours {
				continue
			}
			if dl, ok := importLayers[dep]; ok && dl >= layer {
				t.Errorf("%s (layer %d) imports %s (layer %d): imports must go to a lower layer", pkg, layer, dep, dl)
			}
		}
	}
	if seen < len(importLayers)/2 {
		t.Fatalf("go list output looks wrong:\n%.500s", out)
	}
}
