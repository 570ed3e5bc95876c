package core

import (
	"errors"
	"strings"
	"testing"
)

// TestClaim: claims refuse a name in progress and more than maxInstalls
// at once, without waiting.
func TestClaim(t *testing.T) {
	m := &Manager{}
	ra, err := m.claim("a")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.claim("a"); !errors.Is(err, errInstallBusy) || err.Error() != "install of a in progress" {
		t.Errorf("second claim of a: %v", err)
	}
	rb, err := m.claim("b")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.claim("c"); !errors.Is(err, errInstallBusy) || !strings.Contains(err.Error(), "2 installs or removals in progress") {
		t.Errorf("claim beyond maxInstalls: %v", err)
	}
	ra()
	rc, err := m.claim("c")
	if err != nil {
		t.Fatalf("claim after a release: %v", err)
	}
	rb()
	rc()
	if len(m.busy) != 0 {
		t.Errorf("claims left: %v", m.busy)
	}
}
