package board

import (
	"errors"
	"testing"
)

// TestNL80211LiveFailsCleanly asks the running kernel; on a machine
// without a wireless driver the answer must be ErrNoWifi, not a hang or
// a crash.
func TestNL80211LiveFailsCleanly(t *testing.T) {
	b, err := New("/")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ifs, err := b.WifiInterfaces()
	if err != nil && !errors.Is(err, ErrNoWifi) {
		t.Fatalf("WifiInterfaces() error = %v, want nil or ErrNoWifi", err)
	}
	t.Logf("live: %d interfaces, err %v", len(ifs), err)
	st, err := b.WifiStations()
	if err != nil && !errors.Is(err, ErrNoWifi) {
		t.Fatalf("WifiStations() error = %v, want nil or ErrNoWifi", err)
	}
	t.Logf("live: %d stations, err %v", len(st), err)
}
