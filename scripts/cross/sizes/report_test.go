package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestAggregate(t *testing.T) {
	secs := []section{
		{name: ""},
		{name: ".text", size: 1000, fileData: true, loaded: true, code: true},
		{name: ".rodata", size: 500, fileData: true, loaded: true},
		{name: ".gopclntab", size: 400, fileData: true, loaded: true},
		{name: ".bss", size: 9000, loaded: true},
		{name: ".debug_info", size: 7000, fileData: true},
	}
	syms := []symbol{
		{"runtime.mallocgc", 600, 1},
		{"net/http.(*conn).serve", 200, 1},
		{"type:*net/http.Request", 50, 2},
		{"runtime.mheap_", 9000, 4},      // .bss: no file bytes
		{"net/http.debugThing", 7000, 5}, // debug info: not loaded
		{"go:func.*", 100, 3},
		{"runtime.zero", 0, 1},
		{"net/http.outOfRange", 10, 99},
	}
	r := aggregate(syms, secs)
	want := []row{
		{name: "runtime", bytes: 600, text: 600},
		{name: "net/http", bytes: 250, text: 200},
		{name: "(linker: .gopclntab)", bytes: 100},
	}
	if len(r.packages) != len(want) {
		t.Fatalf("packages = %+v, want %+v", r.packages, want)
	}
	for i := range want {
		if r.packages[i] != want[i] {
			t.Errorf("packages[%d] = %+v, want %+v", i, r.packages[i], want[i])
		}
	}
	if r.image != 1900 || r.text != 1000 || r.tables != 400 {
		t.Errorf("image, text, tables = %d, %d, %d; want 1900, 1000, 400", r.image, r.text, r.tables)
	}
	wantUn := []row{
		{name: "(no symbol: .rodata)", bytes: 450},
		{name: "(no symbol: .gopclntab)", bytes: 300},
		{name: "(no symbol: .text)", bytes: 200},
	}
	for i := range wantUn {
		if i >= len(r.unattributed) || r.unattributed[i] != wantUn[i] {
			t.Fatalf("unattributed = %+v, want %+v", r.unattributed, wantUn)
		}
	}
	// runtime has 60 % of the code, so 60 % of .gopclntab.
	if got := r.tableShare(r.packages[0]); got != 240 {
		t.Errorf("tableShare(runtime) = %d, want 240", got)
	}

	var out bytes.Buffer
	if err := r.write(&out, 1); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if !strings.HasPrefix(lines[1], "runtime ") || !strings.Contains(lines[1], " 600 ") || !strings.HasSuffix(lines[1], " 840") {
		t.Errorf("first package line = %q, want runtime with 600 bytes and 840 with tables", lines[1])
	}
	if !strings.HasPrefix(lines[2], "(2 other packages)") || !strings.Contains(lines[2], " 350 ") {
		t.Errorf("rest line = %q, want 2 other packages with 350 bytes", lines[2])
	}
	if last := lines[len(lines)-1]; !strings.HasPrefix(last, "(program image total)") || !strings.Contains(last, " 1900 ") {
		t.Errorf("total line = %q, want 1900 bytes", last)
	}
}

func TestRunUsage(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if got := run(nil, &stdout, &stderr); got != 2 {
		t.Errorf("run() = %d, want 2 for missing -bin", got)
	}
	if got := run([]string{"-bin", "testdata/does-not-exist"}, &stdout, &stderr); got != 1 {
		t.Errorf("run(missing file) = %d, want 1", got)
	}
	if !strings.Contains(stderr.String(), "does-not-exist") {
		t.Errorf("stderr = %q, want the missing file named", stderr.String())
	}
}
