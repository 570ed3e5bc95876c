package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestReadELFBuiltBinary builds this command without -s -w (go test strips
// its own binaries) and measures it, so the real symbol table is exercised.
func TestReadELFBuiltBinary(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("go tool not in PATH: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "sizes")
	cmd := exec.Command(goTool, "build", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	f, err := os.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	syms, secs, err := readELF(f)
	if err != nil {
		t.Fatal(err)
	}
	r := aggregate(syms, secs)
	got := map[string]uint64{}
	for _, p := range r.packages {
		got[p.name] = p.bytes
	}
	for _, pkg := range []string{"runtime", "main", "debug/elf", "flag"} {
		if got[pkg] == 0 {
			t.Errorf("package %s has no bytes in the built binary", pkg)
		}
	}
	if got["runtime"] < 100_000 {
		t.Errorf("runtime has %d bytes, want at least 100 KB", got["runtime"])
	}
	if r.tables == 0 || r.text == 0 || r.image <= r.text {
		t.Errorf("image %d, text %d, tables %d: want all non-zero and image > text", r.image, r.text, r.tables)
	}
}

func TestReadELFStripped(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("go tool not in PATH: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "sizes")
	cmd := exec.Command(goTool, "build", "-ldflags=-s -w", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	f, err := os.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, _, err := readELF(f); !errors.Is(err, errNoSymbols) {
		t.Errorf("readELF(stripped) error = %v, want errNoSymbols", err)
	}
}
