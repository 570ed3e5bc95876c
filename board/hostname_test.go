package board

import (
	"errors"
	"io/fs"
	"testing"
)

func TestIdentityFiles(t *testing.T) {
	tests := []struct {
		root                       string
		host, kernel, model, board string
	}{
		{"openwrt-mt7621", "OpenWrt", "5.15.150", "Netgear R6350", "netgear,r6350"},
		{"openwrt-ath79", "archer", "5.15.150", "TP-Link Archer C7 v2", "tplink,archer-c7-v2"},
		{"openwrt-filogic", "bpi-r3", "5.15.150", "Bananapi BPI-R3", "bananapi,bpi-r3"},
	}
	for _, tt := range tests {
		t.Run(tt.root, func(t *testing.T) {
			b := fixture(t, tt.root)
			for _, c := range []struct {
				name string
				read func() (string, error)
				want string
			}{
				{"Hostname", b.Hostname, tt.host},
				{"KernelRelease", b.KernelRelease, tt.kernel},
				{"Model", b.Model, tt.model},
				{"BoardName", b.BoardName, tt.board},
			} {
				got, err := c.read()
				if err != nil || got != c.want {
					t.Errorf("%s() = %q, %v; want %q", c.name, got, err, c.want)
				}
			}
		})
	}
	if _, err := fixture(t, "debian-x86").Model(); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("debian-x86 Model() error = %v, want fs.ErrNotExist", err)
	}
}

func TestParseAttribute(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		wantErr bool
	}{
		{in: "OpenWrt\n", want: "OpenWrt"},
		{in: "  spaced name \r\n", want: "spaced name"},
		{in: "", want: ""},
		{in: "\n\n", want: ""},
		{in: "a\nb\n", wantErr: true},
	}
	for _, tt := range tests {
		got, err := parseAttribute(fileHostname, []byte(tt.in))
		checkParseErr(t, fileHostname, err)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("parseAttribute(%q) = %q, %v; want %q, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func FuzzAttribute(f *testing.F) {
	addFixtureSeeds(f, fileHostname)
	addFixtureSeeds(f, fileSysinfoModel)
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := parseAttribute(fileHostname, data)
		checkParseErr(t, fileHostname, err)
		if err == nil && len(s) > len(data) {
			t.Fatalf("value %q longer than input", s)
		}
	})
}
