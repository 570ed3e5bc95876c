package docs

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/heimnetz/heimnetz/limits"
	"github.com/heimnetz/heimnetz/luaplugins"
)

var update = flag.Bool("update", false, "rewrite golden files")

func bundledReference(t *testing.T) Reference {
	t.Helper()
	reg := luaplugins.NewRegistry()
	srcs, errs := luaplugins.ReadBundled(reg, limits.Ceilings())
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	return Build(reg, srcs, "test")
}

func TestGolden(t *testing.T) {
	r := bundledReference(t)
	for _, format := range []string{FormatMarkdown, FormatJSON} {
		var b bytes.Buffer
		if err := Write(&b, r, format); err != nil {
			t.Fatal(err)
		}
		golden := "testdata/reference." + format
		if *update {
			os.WriteFile(golden, b.Bytes(), 0o644)
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		if b.String() != string(want) {
			t.Errorf("%s output differs from %s (run go test -update and review the diff)", format, golden)
		}
	}
}

// TestEveryRegistryFunction checks that nothing in the registry is left
// out: every function of every module, with its permission.
func TestEveryRegistryFunction(t *testing.T) {
	r := bundledReference(t)
	var b bytes.Buffer
	Write(&b, r, FormatMarkdown)
	md := b.String()
	for _, m := range luaplugins.NewRegistry().Modules() {
		for _, f := range m.Funcs {
			name := f.Name
			if m.Permission != "" {
				name = m.Name + "." + f.Name
				if !strings.Contains(md, "permission `"+m.Permission+"`") {
					t.Errorf("permission %s missing", m.Permission)
				}
			}
			if !strings.Contains(md, "`"+name+"("+f.Args+")`") {
				t.Errorf("%s missing", name)
			}
		}
	}
	// Defaults and ceilings come from package limits.
	c := limits.Ceilings()
	if !strings.Contains(md, "| `limits.memory` | size | 8 MiB | "+c.Format(limits.KeyMemory)+" |") {
		t.Error("memory limit row missing or wrong")
	}
	// The static checker found the bundled plugins' metric names.
	var load *Plugin
	for i := range r.Plugins {
		if r.Plugins[i].Name == "loadavg" {
			load = &r.Plugins[i]
		}
	}
	if load == nil || strings.Join(load.Metrics, ",") != "node_load1,node_load15,node_load5" {
		t.Errorf("loadavg plugin: %+v", load)
	}
}

func TestHTMLSelfContained(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, bundledReference(t), FormatHTML); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, bad := range []string{"<script", "<link", "src=", "@import", "url("} {
		if strings.Contains(page, bad) {
			t.Errorf("page contains %q: not self-contained", bad)
		}
	}
	for _, want := range []string{"<style>", "<h3 id=\"mod-kv\">kv (permission <code>kv</code>)</h3>", "<code>kv.set(key, value)</code>", "</html>"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	var js Reference
	b.Reset()
	Write(&b, bundledReference(t), FormatJSON)
	if err := json.Unmarshal(b.Bytes(), &js); err != nil || len(js.Modules) != len(luaplugins.NewRegistry().Modules()) {
		t.Errorf("JSON round trip: %v, %d modules", err, len(js.Modules))
	}
}
