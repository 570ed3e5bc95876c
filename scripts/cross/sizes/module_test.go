package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestModuleOf(t *testing.T) {
	mods := []string{"github.com/heimnetz/heimnetz", "github.com/klauspost/compress", "go.etcd.io/bbolt", "go.yaml.in/yaml/v3", "github.com/yuin/gopher-lua"}
	tests := []struct{ pkg, want string }{
		{"github.com/heimnetz/heimnetz/web", "github.com/heimnetz/heimnetz"},
		{"github.com/heimnetz/heimnetz", "github.com/heimnetz/heimnetz"},
		{"github.com/klauspost/compress/zstd", "github.com/klauspost/compress"},
		{"go.etcd.io/bbolt/internal/common", "go.etcd.io/bbolt"},
		{"go.yaml.in/yaml/v3", "go.yaml.in/yaml/v3"},
		{"github.com/yuin/gopher-lua/parse", "github.com/yuin/gopher-lua"},
		{"runtime", stdModule},
		{"net/http", stdModule},
		{"vendor/golang.org/x/net/idna", stdModule},
		{"github.com/unknown/mod/pkg", "github.com/unknown/mod/pkg"},
		// A module path is a whole-element prefix, not a string prefix.
		{"github.com/heimnetz/heimnetzfork/x", "github.com/heimnetz/heimnetzfork/x"},
	}
	for _, tt := range tests {
		if got := moduleOf(tt.pkg, mods); got != tt.want {
			t.Errorf("moduleOf(%q) = %q, want %q", tt.pkg, got, tt.want)
		}
	}
}

func TestByModule(t *testing.T) {
	r := report{
		packages: []row{
			{name: "runtime", bytes: 500, text: 400},
			{name: "github.com/a/b/x", bytes: 300, text: 300},
			{name: "github.com/a/b/y", bytes: 250, text: 100},
			{name: "net", bytes: 100, text: 100},
			{name: "(linker: .gopclntab)", bytes: 50},
		},
		image: 2000, text: 900, tables: 300,
	}
	m := r.byModule([]string{"github.com/a/b"})
	want := []row{
		{name: stdModule, bytes: 600, text: 500},
		{name: "github.com/a/b", bytes: 550, text: 400},
		{name: "(linker: .gopclntab)", bytes: 50},
	}
	if len(m.packages) != len(want) {
		t.Fatalf("byModule = %+v, want %+v", m.packages, want)
	}
	for i := range want {
		if m.packages[i] != want[i] {
			t.Errorf("row %d = %+v, want %+v", i, m.packages[i], want[i])
		}
	}
	var out bytes.Buffer
	if err := m.write(&out, 1); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "module ") || !strings.Contains(out.String(), "(2 other modules)") {
		t.Errorf("output does not speak of modules:\n%s", out.String())
	}
}
