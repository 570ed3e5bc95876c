//go:build !https

package web

import (
	"errors"
	"testing"
	"time"
)

func TestHTTPSNotBuilt(t *testing.T) {
	cfg := DefaultConfig()
	cfg.TLS = true
	cfg.DataDir = t.TempDir()
	_, err := New(cfg, newMemBackend(time.Now))
	if !errors.Is(err, ErrNoHTTPS) || HTTPSBuilt {
		t.Fatalf("New with TLS in a build without https: %v", err)
	}
}
