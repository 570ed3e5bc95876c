package main

import (
	"strings"
	"testing"
)

func TestPackageOf(t *testing.T) {
	tests := []struct {
		symbol, want string
	}{
		{"runtime.mallocgc", "runtime"},
		{"main.main", "main"},
		{"net/http.(*conn).serve", "net/http"},
		{"github.com/valyala/fasthttp.(*Server).serveConn", "github.com/valyala/fasthttp"},
		{"go.etcd.io/bbolt.(*DB).Update.func1", "go.etcd.io/bbolt"},
		{"go.yaml.in/yaml/v3.(*parser).parse", "go.yaml.in/yaml/v3"},
		{"gopkg.in/yaml%2ev3.unmarshal", "gopkg.in/yaml%2ev3"},
		{"github.com/yuin/gopher-lua.(*LState).Call", "github.com/yuin/gopher-lua"},
		{"slices.SortFunc[go.shape.[]uint8]", "slices"},
		{"github.com/a/b.Map[go.shape.string,github.com/c/d.T]", "github.com/a/b"},
		{"type:.eq.net/url.URL", "net/url"},
		{"type:.eq.[2]runtime.Frame", "runtime"},
		{"type:*net/http.Request", "net/http"},
		{"type:[]*github.com/a/b.T", "github.com/a/b"},
		{"go:itab.*os.File,io/fs.FS", "os"},
		{"go:itab.*github.com/a/b.W,io.Writer", "github.com/a/b"},
		{"vendor/golang.org/x/net/idna.idnaValues", "vendor/golang.org/x/net/idna"},
		{"crypto/internal/fips140/drbg.memory", "crypto/internal/fips140/drbg"},
		{"go:func.*", ""},
		{"go:buildinfo", ""},
		{"gcWriteBarrier", ""},
		{"type:map[string]int", ""},
		{"type:func(int) error", ""},
		{"", ""},
		{".", ""},
		{"a/.b", ""},
	}
	for _, tt := range tests {
		if got := packageOf(tt.symbol); got != tt.want {
			t.Errorf("packageOf(%q) = %q, want %q", tt.symbol, got, tt.want)
		}
	}
}

func FuzzPackageOf(f *testing.F) {
	for _, s := range []string{"runtime.main", "type:.eq.[2]a/b.C", "go:itab.*x.Y,z.W", "***", "[[[", "a/b/c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		pkg := packageOf(name)
		if pkg == "" {
			return
		}
		// A package is a prefix of what remains after the linker prefixes,
		// and is followed by the dot that separates it from the name.
		if !strings.Contains(name, pkg+".") {
			t.Fatalf("packageOf(%q) = %q, which is not followed by a dot in the name", name, pkg)
		}
		if strings.ContainsAny(pkg, "([ ,") {
			t.Fatalf("packageOf(%q) = %q contains a separator", name, pkg)
		}
	})
}
