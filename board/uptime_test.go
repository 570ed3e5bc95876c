package board

import (
	"encoding/json"
	"math"
	"testing"
	"time"
)

func TestUptimeFixtures(t *testing.T) {
	tests := []struct {
		root string
		want Uptime
		dur  time.Duration
	}{
		{"openwrt-mt7621", Uptime{431876.43, 1642870.12}, 431876430 * time.Millisecond},
		{"openwrt-ath79", Uptime{1296044.87, 1171309.26}, 1296044870 * time.Millisecond},
		{"debian-x86", Uptime{1209601.33, 4711234.09}, 1209601330 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.root, func(t *testing.T) {
			got, err := fixture(t, tt.root).Uptime()
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Fatalf("Uptime() = %+v, want %+v", got, tt.want)
			}
			if d := got.Duration(); d != tt.dur {
				t.Fatalf("Duration() = %v, want %v", d, tt.dur)
			}
		})
	}
}

func TestParseUptime(t *testing.T) {
	tests := []struct {
		in      string
		want    Uptime
		wantErr bool
	}{
		{in: "12.5 40.25\n", want: Uptime{12.5, 40.25}},
		{in: "0 0", want: Uptime{0, 0}},
		{in: "12.5", wantErr: true},
		{in: "12.5 1 2", wantErr: true},
		{in: "x 1", wantErr: true},
		{in: "1 NaN", wantErr: true},
		{in: "-3 1", wantErr: true},
	}
	for _, tt := range tests {
		got, err := parseUptime(fileUptime, []byte(tt.in))
		checkParseErr(t, fileUptime, err)
		if (err != nil) != tt.wantErr {
			t.Errorf("parseUptime(%q) error = %v, wantErr %v", tt.in, err, tt.wantErr)
			continue
		}
		if got != tt.want {
			t.Errorf("parseUptime(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

func TestUptimeDurationCap(t *testing.T) {
	if d := (Uptime{Seconds: 1e300}).Duration(); d != time.Duration(math.MaxInt64) {
		t.Fatalf("Duration() of 1e300 s = %v, want the largest Duration", d)
	}
}

func FuzzUptime(f *testing.F) {
	addFixtureSeeds(f, fileUptime)
	f.Fuzz(func(t *testing.T, data []byte) {
		u, err := parseUptime(fileUptime, data)
		checkParseErr(t, fileUptime, err)
		if err != nil {
			return
		}
		if _, err := json.Marshal(u); err != nil {
			t.Fatalf("parsed value does not encode: %v", err)
		}
		if u.Duration() < 0 {
			t.Fatalf("negative duration from %+v", u)
		}
	})
}
