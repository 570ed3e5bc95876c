package main

import "testing"

func TestConnectionsWithin(t *testing.T) {
	for _, c := range []struct {
		nofile  uint64
		want    int
		got     int
		lowered bool
	}{
		{nofile: 0, want: 1024, got: 1024},                  // limit unknown: as configured
		{nofile: 1 << 20, want: 1024, got: 1024},            // plenty
		{nofile: 1088, want: 1024, got: 1024},               // exactly the reserve left
		{nofile: 1024, want: 1024, got: 960, lowered: true}, // OpenWrt's old default
		{nofile: 4096, want: 1024, got: 1024},               // the package's default now
		{nofile: 70, want: 1024, got: 16, lowered: true},    // absurdly low: still a few
		{nofile: 20, want: 10, got: 10},                     // fewer wanted than the floor
		{nofile: 1024, want: 0, got: 0},                     // web's default applies later
		{nofile: 1 << 40, want: 1 << 20, got: 1 << 20},      // huge limits do not overflow
		{nofile: 200, want: 1024, got: 136, lowered: true},
	} {
		got, lowered := connectionsWithin(c.nofile, c.want)
		if got != c.got || lowered != c.lowered {
			t.Errorf("connectionsWithin(%d, %d) = %d, %v; want %d, %v", c.nofile, c.want, got, lowered, c.got, c.lowered)
		}
	}
}
