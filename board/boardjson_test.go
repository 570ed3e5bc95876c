package board

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
)

func TestBoardInfoFixtures(t *testing.T) {
	tests := []struct {
		root string
		want BoardInfo
	}{
		{"openwrt-mt7621", BoardInfo{ModelID: "netgear,r6350", ModelName: "Netgear R6350", Network: map[string]BoardNetwork{
			"lan": {Ports: []string{"lan1", "lan2", "lan3", "lan4"}, Protocol: "static"},
			"wan": {Device: "wan", Protocol: "dhcp"},
		}}},
		{"openwrt-ath79", BoardInfo{ModelID: "tplink,archer-c7-v2", ModelName: "TP-Link Archer C7 v2", Network: map[string]BoardNetwork{
			"lan": {Device: "eth1", Protocol: "static"},
			"wan": {Device: "eth0", Protocol: "dhcp"},
		}}},
		{"openwrt-filogic", BoardInfo{ModelID: "bananapi,bpi-r3", ModelName: "Bananapi BPI-R3", Network: map[string]BoardNetwork{
			"lan": {Ports: []string{"lan1", "lan2", "lan3", "lan4", "sfp2"}, Protocol: "static"},
			"wan": {Device: "wan", Protocol: "dhcp"},
		}}},
	}
	for _, tt := range tests {
		t.Run(tt.root, func(t *testing.T) {
			got, err := fixture(t, tt.root).BoardInfo()
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("BoardInfo() = %+v,\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestParseBoardJSON(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		want     BoardInfo
		wantLine int // 0: no error expected; -1: an error on any line
	}{
		{
			name: "unknown fields and macaddr",
			in: `{"model":{"id":"glinet,gl-mt6000","name":"GL.iNet GL-MT6000","extra":1},"system":{"compat_version":"1.1"},` +
				`"network":{"wan":{"device":"eth1","protocol":"dhcp","macaddr":"00:00:5e:00:53:01"}}}`,
			want: BoardInfo{ModelID: "glinet,gl-mt6000", ModelName: "GL.iNet GL-MT6000",
				Network: map[string]BoardNetwork{"wan": {Device: "eth1", Protocol: "dhcp", MACAddr: "00:00:5e:00:53:01"}}},
		},
		{name: "no name", in: `{"model":{"id":"x,y"}}`, want: BoardInfo{ModelID: "x,y"}},
		{name: "no id", in: `{"model":{"name":"X"}}`, wantLine: -1},
		{name: "null", in: `null`, wantLine: -1},
		{name: "syntax error line 3", in: "{\n\t\"model\": {\n\t\t\"id\": \"a\",,\n}}", wantLine: 3},
		{name: "wrong type line 2", in: "{\"model\":\n{\"id\": 7}}", wantLine: 2},
		{name: "array", in: `[]`, wantLine: 1},
		{name: "empty", in: ``, wantLine: -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseBoardJSON(fileBoardJSON, []byte(tt.in))
			checkParseErr(t, fileBoardJSON, err)
			if tt.wantLine == 0 {
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, tt.want) {
					t.Fatalf("got %+v,\nwant %+v", got, tt.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("accepted, got %+v", got)
			}
			var pe *ParseError
			if errors.As(err, &pe) && tt.wantLine > 0 && pe.Line != tt.wantLine {
				t.Fatalf("line %d, want %d (%v)", pe.Line, tt.wantLine, err)
			}
		})
	}
}

func FuzzBoardJSON(f *testing.F) {
	addFixtureSeeds(f, fileBoardJSON)
	f.Add([]byte(`{"model":{"id":"a","name":"b"},"network":{"lan":{"ports":["x"]}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		info, err := parseBoardJSON(fileBoardJSON, data)
		checkParseErr(t, fileBoardJSON, err)
		if err != nil {
			return
		}
		if info.ModelID == "" {
			t.Fatal("accepted without model id")
		}
		if _, err := json.Marshal(info); err != nil {
			t.Fatalf("parsed value does not encode: %v", err)
		}
	})
}
