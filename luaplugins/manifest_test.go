package luaplugins

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
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

// TestParseManifestErrors covers the errors that need more than a file:
// the directory name and the size cap.
func TestParseManifestErrors(t *testing.T) {
	base := "name: x\nversion: 1.0.0\n"
	tests := []struct {
		name, yaml, dir, want string
	}{
		{"dir mismatch", base, "y", `manifest.yml:1: name: "x" differs from the directory name "y"`},
		{"too large", base + "description: " + strings.Repeat("x", MaxManifestBytes) + "\n", "", "manifest.yml: 16421 bytes is larger than the maximum of 16384"},
		{"traversal name", "name: ../etc\nversion: 1.0.0\n", "", `manifest.yml:1: name: "../etc" is not a plugin name (lowercase letters, digits and -, starting with a letter, at most 32; e.g. wan-latency)`},
		{"ceiling below a default", base, "", "manifest.yml: limits.memory: the default 8 MiB is above the ceiling of 4 MiB; ask for at most 4 MiB"},
		{"alias", "name: &n x\nversion: 1.0.0\ndescription: *n\ninterval: *n\n", "", `manifest.yml:4: interval: "x" is not a positive duration (use e.g. 30s)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ceil := limits.Ceilings()
			if tt.name == "ceiling below a default" {
				ceil.Memory = 4 << 20
			}
			_, err := ParseManifest([]byte(tt.yaml), tt.dir, testPerms, ceil)
			if err == nil || err.Error() != tt.want {
				t.Fatalf("err = %v\nwant  %s", err, tt.want)
			}
			if !errors.Is(err, ErrManifest) {
				t.Errorf("%v is not ErrManifest", err)
			}
		})
	}
}

// TestManifestErrorsExact reads testdata/manifests/bad-*.yml and
// refuse-*.yml; each file's first line is a comment with the exact error
// it must give: one line, "manifest.yml:LINE: FIELD: PROBLEM", with the
// place named once and no library prefix.
func TestManifestErrorsExact(t *testing.T) {
	bad, _ := filepath.Glob("testdata/manifests/bad-*.yml")
	refuse, _ := filepath.Glob("testdata/manifests/refuse-*.yml")
	if len(bad) < 30 || len(refuse) < 8 {
		t.Fatalf("%d bad and %d refuse cases", len(bad), len(refuse))
	}
	for _, f := range append(bad, refuse...) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		first, _, _ := strings.Cut(string(data), "\n")
		want := strings.TrimPrefix(first, "# want: ")
		_, err = ParseManifest(data, "", testPerms, limits.Ceilings())
		if err == nil || err.Error() != want || !errors.Is(err, ErrManifest) {
			t.Errorf("%s:\n got %v\nwant %s", f, err, want)
			continue
		}
		msg := err.Error()
		if at, r := oneline.Find(msg); at >= 0 || len(msg) > maxManifestErrorText+100 {
			t.Errorf("%s: error text holds %U or is %d bytes long", f, r, len(msg))
		}
		for _, stacked := range []string{"manifest: ", "yaml: ", "unmarshal", "!!", "luaplugins.", ": limit "} {
			if strings.Contains(msg, stacked) {
				t.Errorf("%s: %q holds %q", f, msg, stacked)
			}
		}
		if strings.Count(msg, ManifestFile) != 1 {
			t.Errorf("%s: %q names the file more than once", f, msg)
		}
		var me *ManifestError
		if !errors.As(err, &me) || me.Error() != ManifestFile+lineSuffix(me.Line)+": "+me.Problem() {
			t.Errorf("%s: %#v does not render as file:line: problem", f, me)
		}
	}
}

func lineSuffix(n int) string {
	if n == 0 {
		return ""
	}
	return ":" + strconv.Itoa(n)
}

// TestReadPathNamesTheFileOnce: reading a plugin directory puts its path
// in front of the line, once.
func TestReadPathNamesTheFileOnce(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "x")
	os.Mkdir(dir, 0o755)
	os.WriteFile(filepath.Join(dir, ManifestFile), []byte("name: x\nversion: 1.0.0\n\ninterval: 5x\n"), 0o644)
	os.WriteFile(filepath.Join(dir, MainFile), []byte("function collect() end\n"), 0o644)
	_, err := ReadPath(dir, NewRegistry(), limits.Ceilings())
	want := filepath.Join(dir, ManifestFile) + `:4: interval: "5x" is not a positive duration (use e.g. 30s)`
	if err == nil || err.Error() != want || !errors.Is(err, ErrManifest) {
		t.Errorf("err = %v\nwant  %s", err, want)
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
