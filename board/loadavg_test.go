package board

import (
	"encoding/json"
	"testing"
)

func TestLoadAvgFixtures(t *testing.T) {
	tests := []struct {
		root string
		want LoadAvg
	}{
		{"openwrt-mt7621", LoadAvg{Load1: 0.08, Load5: 0.11, Load15: 0.09, Running: 1, Total: 83, LastPID: 6127}},
		{"openwrt-ath79", LoadAvg{Load1: 0.42, Load5: 0.31, Load15: 0.27, Running: 2, Total: 61, LastPID: 3310}},
		{"openwrt-filogic", LoadAvg{Load1: 0, Load5: 0.02, Load15: 0, Running: 1, Total: 142, LastPID: 9023}},
		{"debian-x86", LoadAvg{Load1: 0.15, Load5: 0.21, Load15: 0.18, Running: 1, Total: 214, LastPID: 48812}},
	}
	for _, tt := range tests {
		t.Run(tt.root, func(t *testing.T) {
			got, err := fixture(t, tt.root).LoadAvg()
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Fatalf("LoadAvg() = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestParseLoadAvg(t *testing.T) {
	tests := []struct {
		in      string
		want    LoadAvg
		wantErr bool
	}{
		{in: "1.00 2.50 10.25 3/400 99", want: LoadAvg{1, 2.5, 10.25, 3, 400, 99}},
		{in: "0.00 0.00 0.00 0/1 1\n\n", want: LoadAvg{0, 0, 0, 0, 1, 1}},
		{in: "", wantErr: true},
		{in: "0.1 0.2 0.3 1/2", wantErr: true},
		{in: "0.1 0.2 0.3 1/2 3 4", wantErr: true},
		{in: "0.1 0.2 0.3 12 3", wantErr: true},
		{in: "NaN 0.2 0.3 1/2 3", wantErr: true},
		{in: "Inf 0.2 0.3 1/2 3", wantErr: true},
		{in: "-1 0.2 0.3 1/2 3", wantErr: true},
		{in: "0.1 0.2 0.3 -1/2 3", wantErr: true},
		{in: "0.1 0.2 0.3 1/2 3\nmore", wantErr: true},
	}
	for _, tt := range tests {
		got, err := parseLoadAvg(fileLoadAvg, []byte(tt.in))
		checkParseErr(t, fileLoadAvg, err)
		if (err != nil) != tt.wantErr {
			t.Errorf("parseLoadAvg(%q) error = %v, wantErr %v", tt.in, err, tt.wantErr)
			continue
		}
		if got != tt.want {
			t.Errorf("parseLoadAvg(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

func FuzzLoadAvg(f *testing.F) {
	addFixtureSeeds(f, fileLoadAvg)
	f.Add([]byte("1e308 0 0 1/1 1"))
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := parseLoadAvg(fileLoadAvg, data)
		checkParseErr(t, fileLoadAvg, err)
		if err != nil {
			return
		}
		if _, err := json.Marshal(l); err != nil {
			t.Fatalf("parsed value does not encode: %v", err)
		}
		if l.Load1 < 0 || l.Load5 < 0 || l.Load15 < 0 {
			t.Fatalf("negative load %+v", l)
		}
	})
}
