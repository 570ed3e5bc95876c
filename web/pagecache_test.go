package web

import (
	"testing"
	"time"
)

func TestPageCacheSingleRefresher(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	var c pageCache
	if _, _, ok := c.get(t0, 0); ok {
		t.Fatal("empty cache hit")
	}
	c.put(t0, 0, []byte("v1"))
	if html, gz, ok := c.get(t0.Add(500*time.Millisecond), 0); !ok || string(html) != "v1" || len(gz) == 0 {
		t.Fatalf("fresh get = %q %v", html, ok)
	}
	// Expired: the first caller refreshes, the next ones get the old copy.
	late := t0.Add(pageCacheTTL + time.Millisecond)
	if _, _, ok := c.get(late, 0); ok {
		t.Fatal("expired page served to the first caller")
	}
	if html, _, ok := c.get(late, 0); !ok || string(html) != "v1" {
		t.Fatal("second caller not served the old copy during the refresh")
	}
	// A refresher that never finishes is replaced after the grace period.
	if _, _, ok := c.get(late.Add(refreshGrace), 0); ok {
		t.Fatal("stuck refresh blocks forever")
	}
	c.put(late, 0, []byte("v2"))
	if html, _, ok := c.get(late, 0); !ok || string(html) != "v2" {
		t.Fatalf("after put = %q", html)
	}
	// A new generation (an admin action) is never served from the cache.
	if _, _, ok := c.get(late, 1); ok {
		t.Fatal("old generation served")
	}
}
