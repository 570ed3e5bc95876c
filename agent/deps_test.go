package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestNoHeavyPackagesLinked guards the router size budget: these packages
// cost megabytes on MIPS (text/template's reflect-based method calls keep
// every exported method; net/http brings its client and HTTP/2), crypto/tls
// brings ~0.8 MB of handshake, X.509 and curve code (the router build
// serves plain HTTP; HTTPS is the https build tag), encoding/xml costs
// ~35 KB and a start-up table for one JUnit writer; none is needed by the
// agent.
func TestNoHeavyPackagesLinked(t *testing.T) {
	if os.Getenv("HEIMNETZ_EMULATED") != "" {
		t.Skip("under qemu: the native suite lists the agent's dependencies")
	}
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	deps := map[string]bool{}
	for _, p := range strings.Fields(string(out)) {
		deps[p] = true
	}
	for _, heavy := range []string{"text/template", "html/template", "net/http", "github.com/molecule-man/go-brrr", "github.com/klauspost/compress/zstd",
		"crypto/tls", "crypto/x509", "encoding/xml"} {
		if deps[heavy] {
			t.Errorf("the agent links %s", heavy)
		}
	}
	if !deps["github.com/yuin/gopher-lua"] {
		t.Fatalf("go list output looks wrong:\n%.500s", out)
	}
}
