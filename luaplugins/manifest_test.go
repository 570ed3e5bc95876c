package luaplugins

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/heimnetz/heimnetz/limits"
	"github.com/heimnetz/heimnetz/limits/oneline"
)

// nameRE is the plugin name pattern validName implements; the tests use it
// as the oracle.
var nameRE = regexp.MustCompile(`^[a-z][a-z0-9-]{0,31}$`)

func FuzzValidName(f *testing.F) {
	for _, s := range []string{"", "a", "net", "example-counter", "Net", "1x", "a_b", strings.Repeat("a", 32), strings.Repeat("a", 33), "ü"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := validName(s), nameRE.MatchString(s); got != want {
			t.Fatalf("validName(%q) = %v, the pattern says %v", s, got, want)
		}
	})
}

var testPerms = []string{"board", "kv", "log", "metrics"}

func TestParseManifestFull(t *testing.T) {
	data, err := os.ReadFile("testdata/manifests/full.yml")
	if err != nil {
		t.Fatal(err)
	}
	m, err := ParseManifest(data, "wan-latency", testPerms, limits.Ceilings())
	if err != nil {
		t.Fatal(err)
	}
	if m.Name != "wan-latency" || m.Version != "1.2.0" || m.Interval != 15*time.Second ||
		strings.Join(m.Permissions, ",") != "log,kv,metrics" || m.Description != "Round-trip time to the upstream gateway" {
		t.Errorf("manifest = %+v", m)
	}
	l := m.Limits
	if l.Instructions != 5e6 || l.Memory != 4<<20 || l.Timeout != time.Second || l.CPU != 0.05 || l.Depth != limits.Defaults().Depth {
		t.Errorf("limits = %+v", l)
	}
	if !m.Allows("kv") || m.Allows("board") {
		t.Error("Allows disagrees with permissions")
	}
}

func TestParseManifestErrors(t *testing.T) {
	base := "name: x\nversion: 1.0.0\n"
	tests := []struct {
		name, yaml, dir, want string
	}{
		{"empty", "", "", "empty document"},
		{"unknown field", base + "colour: red\n", "", `unknown field "colour"`},
		{"unknown limit", base + "limits: {disk: 1MiB}\n", "", `manifest field "limits.disk" (line 3): unknown limit`},
		{"missing name", "version: 1.0.0\n", "", `manifest field "name": missing`},
		{"bad name", "name: Bad_Name\nversion: 1.0.0\n", "", `manifest field "name" (line 1): "Bad_Name" must match`},
		{"traversal name", "name: ../etc\nversion: 1.0.0\n", "", `manifest field "name"`},
		{"dir mismatch", base, "y", `differs from the directory name "y"`},
		{"bad version", "name: x\nversion: one\n", "", `manifest field "version" (line 2): "one" is not a semantic version`},
		{"bad interval", base + "interval: often\n", "", `manifest field "interval" (line 3): "often" is not a positive duration`},
		{"short interval", base + "interval: 10ms\n", "", `shorter than the minimum of 1s`},
		{"bad size", base + "limits: {memory: lots}\n", "", `manifest field "limits.memory" (line 3): limit memory: "lots" is not a size`},
		{"bad cpu", base + "limits: {cpu: 150%}\n", "", `manifest field "limits.cpu"`},
		{"above ceiling", base + "limits: {memory: 1GiB}\n", "", `above the ceiling of 32 MiB`},
		{"unknown permission", base + "permissions: [shell]\n", "", `unknown permission "shell"`},
		{"duplicate permission", base + "permissions: [kv, kv]\n", "", `"kv" listed twice`},
		{"two documents", base + "---\nname: y\n", "", "more than one YAML document"},
		{"not a map", "- a\n- b\n", "", "manifest:"},
		{"too large", base + "description: " + strings.Repeat("x", MaxManifestBytes) + "\n", "", "larger than the maximum"},
		{"control chars", base + "description: \"a\\x1bb\"\n", "", `manifest field "description" (line 3): holds U+001B at byte 1`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseManifest([]byte(tt.yaml), tt.dir, testPerms, limits.Ceilings())
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
			if !errors.Is(err, ErrManifest) {
				t.Errorf("%v is not ErrManifest", err)
			}
		})
	}
}

// TestManifestTextRefusals reads testdata/manifests/refuse-*.yml; each
// file's first line is a comment with the error it must give.
func TestManifestTextRefusals(t *testing.T) {
	files, err := filepath.Glob("testdata/manifests/refuse-*.yml")
	if err != nil || len(files) < 8 {
		t.Fatalf("refusal cases: %v, %v", files, err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		first, _, _ := strings.Cut(string(data), "\n")
		want := strings.TrimPrefix(first, "# want: ")
		_, err = ParseManifest(data, "", testPerms, limits.Ceilings())
		if err == nil || !strings.Contains(err.Error(), want) || !errors.Is(err, ErrManifest) {
			t.Errorf("%s: err = %v, want %q", f, err, want)
			continue
		}
		if at, r := oneline.Find(err.Error()); at >= 0 || len(err.Error()) > maxManifestErrorText+100 {
			t.Errorf("%s: error text holds %U or is %d bytes long", f, r, len(err.Error()))
		}
	}
}

func TestBundledPluginsValidate(t *testing.T) {
	srcs, errs := ReadBundled(NewRegistry(), limits.Ceilings())
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	var names []string
	for _, s := range srcs {
		names = append(names, s.Name())
	}
	if got := strings.Join(names, ","); got != "conntrack,cpu,dhcp-leases,entropy,example-counter,filefd,filesystem,hwmon,loadavg,meminfo,nat-traffic,netclass,netdev,netstat,openwrt,stat,thermal,time,uname,wan,wifi,wifi-stations" {
		t.Fatalf("bundled plugins = %s", got)
	}
	for _, s := range srcs {
		if s.Origin != OriginBundled {
			t.Errorf("%s: origin %q", s.Name(), s.Origin)
		}
	}
}

// TestOnlyBuiltInIsBundled: a plugin read from disk never gets
// OriginBundled, not even from a directory called "bundled".
func TestOnlyBuiltInIsBundled(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "bundled", "meminfo")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, ManifestFile), []byte("name: meminfo\nversion: 1.0.0\npermissions: [metrics]\n"), 0o644)
	os.WriteFile(filepath.Join(dir, MainFile), []byte("function collect() end\n"), 0o644)
	reg := NewRegistry()
	srcs, errs := ReadAll(os.DirFS(filepath.Join(root, "bundled")), ".", "bundled", reg, limits.Ceilings())
	if len(errs) > 0 || len(srcs) != 1 || srcs[0].Origin != filepath.Join("bundled", "meminfo") {
		t.Errorf("ReadAll of a directory called bundled: %v %v", srcs, errs)
	}
	if _, err := ReadDir(os.DirFS(root), "bundled/meminfo", OriginBundled, reg, limits.Ceilings()); err == nil || !strings.Contains(err.Error(), "reserved") {
		t.Errorf("ReadDir with origin bundled: %v", err)
	}
	// `heimnetz plugin run bundled` with a plugin in ./bundled.
	plugin := filepath.Join(root, "run", "bundled")
	if err := os.MkdirAll(plugin, 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(plugin, ManifestFile), []byte("name: bundled\nversion: 1.0.0\npermissions: [metrics]\n"), 0o644)
	os.WriteFile(filepath.Join(plugin, MainFile), []byte("function collect() end\n"), 0o644)
	t.Chdir(filepath.Dir(plugin))
	src, err := ReadPath("bundled", reg, limits.Ceilings())
	if err != nil {
		t.Fatalf("ReadPath(bundled): %v", err)
	}
	if src.Origin == OriginBundled {
		t.Errorf("ReadPath(bundled): origin %q", src.Origin)
	}
}

func TestScriptName(t *testing.T) {
	for in, want := range map[string]string{"busy-loop.lua": "busy-loop", "My Script.lua": "my-script", "9.lua": "script", "___.lua": "script"} {
		if got := scriptName(in); got != want {
			t.Errorf("scriptName(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzParseManifest(f *testing.F) {
	for _, s := range []string{"name: x\nversion: 1.0.0\n", "name: x\nversion: 1.0.0\nlimits: {memory: 4MiB, cpu: 5%}\n", "{}", "- [", "name: &a x\nversion: *a\n"} {
		f.Add([]byte(s))
	}
	if data, err := os.ReadFile("testdata/manifests/full.yml"); err == nil {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseManifest(data, "", testPerms, limits.Ceilings())
		if err != nil {
			if !errors.Is(err, ErrManifest) {
				t.Fatalf("error %v is not ErrManifest", err)
			}
			return
		}
		if !nameRE.MatchString(m.Name) || m.Interval < MinInterval || m.Limits.Within(limits.Ceilings()) != nil {
			t.Fatalf("accepted an invalid manifest: %+v", m)
		}
	})
}
