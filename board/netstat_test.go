package board

import (
	"encoding/json"
	"strconv"
	"testing"
	"unsafe"
)

func TestNetStatsFixture(t *testing.T) {
	ns, err := fixture(t, "openwrt-mt7621").NetStats()
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		proto, field string
		want         float64
	}{
		{"Tcp", "MaxConn", -1},
		{"Tcp", "CurrEstab", 14},
		{"TcpExt", "ListenDrops", 0},
		{"IpExt", "InOctets", 98812331221},
		{"Ip6", "InReceives", 3312033},
		{"Icmp6", "OutType136", 11020},
		{"UdpLite6", "InDatagrams", 0},
		{"Udp", "IgnoredMulti", 88123},
	}
	for _, c := range checks {
		got, ok := ns[c.proto][c.field]
		if !ok || got != c.want {
			t.Errorf("%s %s = %v (present %v), want %v", c.proto, c.field, got, ok, c.want)
		}
	}
}

func TestParseNetstat(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		wantErr bool
	}{
		{name: "pair", in: "Tcp: A B\nTcp: 1 -1\n"},
		{name: "max uint64", in: "X: A\nX: 18446744073709551615\n"},
		{name: "count mismatch", in: "Tcp: A B\nTcp: 1\n", wantErr: true},
		{name: "protocol mismatch", in: "Tcp: A\nUdp: 1\n", wantErr: true},
		{name: "names without values", in: "Tcp: A\n", wantErr: true},
		{name: "no colon", in: "Tcp A\n", wantErr: true},
		{name: "repeated", in: "Tcp: A\nTcp: 1\nTcp: A\nTcp: 2\n", wantErr: true},
		{name: "not a number", in: "Tcp: A\nTcp: x\n", wantErr: true},
		{name: "float", in: "Tcp: A\nTcp: 1.5\n", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := parseNetstat(fileNetstat, []byte(tt.in), NetStats{}, nil)
			checkParseErr(t, fileNetstat, err)
			if (err != nil) != tt.wantErr {
				t.Fatalf("error = %v, wantErr %v", err, tt.wantErr)
			}
		})
	}
}

func TestParseSNMP6(t *testing.T) {
	out := NetStats{}
	if err := parseSNMP6(fileSNMP6, []byte("Ip6InReceives \t 7\nIcmp6InType135 3\nUdpLite6InErrors 0\n"), out, &nameTable{}); err != nil {
		t.Fatal(err)
	}
	if out["Ip6"]["InReceives"] != 7 || out["Icmp6"]["InType135"] != 3 || len(out["UdpLite6"]) != 1 {
		t.Fatalf("parsed %v", out)
	}
	for _, bad := range []string{"Ip6InReceives\n", "NoSixHere 1\n", "Ip6 1\n", "6x 1\n", "Ip6A 1\nIp6A 2\n", "Ip6A 1 2\n"} {
		err := parseSNMP6(fileSNMP6, []byte(bad), NetStats{}, nil)
		checkParseErr(t, fileSNMP6, err)
		if err == nil {
			t.Errorf("parseSNMP6(%q) accepted", bad)
		}
	}
}

func FuzzNetstat(f *testing.F) {
	addFixtureSeeds(f, fileNetstat)
	addFixtureSeeds(f, fileSNMP)
	f.Fuzz(func(t *testing.T, data []byte) {
		out := NetStats{}
		err := parseNetstat(fileNetstat, data, out, nil)
		checkParseErr(t, fileNetstat, err)
		if _, err := json.Marshal(out); err != nil {
			t.Fatalf("does not encode: %v", err)
		}
	})
}

func FuzzSNMP6(f *testing.F) {
	addFixtureSeeds(f, fileSNMP6)
	f.Fuzz(func(t *testing.T, data []byte) {
		out := NetStats{}
		err := parseSNMP6(fileSNMP6, data, out, nil)
		checkParseErr(t, fileSNMP6, err)
		if _, err := json.Marshal(out); err != nil {
			t.Fatalf("does not encode: %v", err)
		}
	})
}

// TestNameTable: the counter names a Board hands out come from its name
// table (exact-size copies, one per name, shared by every read), so none
// shares the text of the file it was read from.
func TestNameTable(t *testing.T) {
	b := fixture(t, "openwrt-mt7621")
	for range 2 {
		stats, err := b.NetStats()
		if err != nil {
			t.Fatal(err)
		}
		mem, err := b.MemInfo()
		if err != nil {
			t.Fatal(err)
		}
		b.names.mu.Lock()
		fromTable := func(s string) bool {
			v, ok := b.names.m[s]
			return ok && unsafe.StringData(v) == unsafe.StringData(s)
		}
		for proto, m := range stats {
			if !fromTable(proto) {
				t.Errorf("protocol %q is not the table's", proto)
			}
			for name := range m {
				if !fromTable(name) {
					t.Errorf("%s %q is not the table's", proto, name)
				}
			}
		}
		for name := range mem.Fields {
			if !fromTable(name) {
				t.Errorf("meminfo %q is not the table's", name)
			}
		}
		b.names.mu.Unlock()
	}
	if n := len(b.names.m); n < 100 || n > maxNames {
		t.Fatalf("%d names kept", n)
	}
	var none *nameTable
	if s := none.intern("Tcp"); s != "Tcp" {
		t.Fatalf("nil table: %q", s)
	}
	var full nameTable
	for i := range maxNames + 10 {
		if s := full.intern(strconv.Itoa(i)); s != strconv.Itoa(i) {
			t.Fatalf("intern(%d) = %q", i, s)
		}
	}
	if len(full.m) != maxNames {
		t.Fatalf("%d names kept, want the bound %d", len(full.m), maxNames)
	}
}
