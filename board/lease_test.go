package board

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseDnsmasqLeases(t *testing.T) {
	in := "1733415123 00:00:5E:00:53:A1 192.168.1.23 laptop 01:00:00:5e:00:53:a1\n" +
		"0 00:00:5e:00:53:a3 192.168.1.2 * *\n" +
		"duid 00:01:00:01:2c:5e:1f:00:00:00:5e:00:53:01\n" +
		"1733416000 1104893 fd12:3456:789a::23 laptop 00:01:00:01:29:7a:a3:10:00:00:5e:00:53:a1\n" +
		"1733416000 T77 fd12:3456:789a::77 * 00:01:00:01:29:7a:a3:10:00:00:5e:00:53:a1\n"
	got, err := parseDnsmasqLeases(fileDnsmasqLeases, []byte(in), maxLeases)
	if err != nil {
		t.Fatal(err)
	}
	want := []Lease{
		{Source: "dnsmasq", Family: "ipv4", IP: "192.168.1.23", MAC: "00:00:5e:00:53:a1", Hostname: "laptop", ClientID: "01:00:00:5e:00:53:a1", Expires: 1733415123},
		{Source: "dnsmasq", Family: "ipv4", IP: "192.168.1.2", MAC: "00:00:5e:00:53:a3"},
		{Source: "dnsmasq", Family: "ipv6", IP: "fd12:3456:789a::23", Hostname: "laptop", ClientID: "00:01:00:01:29:7a:a3:10:00:00:5e:00:53:a1", IAID: "1104893", Expires: 1733416000},
		{Source: "dnsmasq", Family: "ipv6", IP: "fd12:3456:789a::77", ClientID: "00:01:00:01:29:7a:a3:10:00:00:5e:00:53:a1", IAID: "T77", Expires: 1733416000},
	}
	if fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", want) {
		t.Fatalf("got  %+v\nwant %+v", got, want)
	}
	for _, bad := range []string{
		"1 aa 192.168.1.1 x\n",         // 4 fields
		"-1 aa 192.168.1.1 x *\n",      // negative expiry
		"soon aa 192.168.1.1 x *\n",    // not a number
		"1 aa 192.168.1.300 x *\n",     // bad address
		"1 aa 192.168.1.1 x * extra\n", // 6 fields
	} {
		_, err := parseDnsmasqLeases(fileDnsmasqLeases, []byte(bad), maxLeases)
		checkParseErr(t, fileDnsmasqLeases, err)
		if err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
}

func TestLeaseBound(t *testing.T) {
	var b strings.Builder
	for i := range maxLeases + 10 {
		fmt.Fprintf(&b, "1 00:00:5e:00:53:%02x 10.0.%d.%d h *\n", i%256, i/256, i%256)
	}
	got, err := parseDnsmasqLeases(fileDnsmasqLeases, []byte(b.String()), maxLeases)
	if len(got) != maxLeases || !errors.Is(err, errTooMany) {
		t.Fatalf("%d leases, error %v; want %d and errTooMany", len(got), err, maxLeases)
	}
}

func TestParseOdhcpdLeases(t *testing.T) {
	in := "# br-lan 00010001297aa31000005e0053a1 c5e1f3a laptop 1733415400 4a 128 fd12::4a/128 2001:db8::4a/128\n" +
		"fd12::4a\tlaptop.lan\tlaptop\n" +
		"# br-lan 00:00:5e:00:53:a2 ipv4 phone\\x20of\\x0aeve 1733415401 c0a8012f 32 192.168.1.47/32\n" +
		"# br-lan 0003 1 gone 0 1 128 fd12::1/128\n" + // expired: left out
		"# br-lan 0003 2 - -1 2 128 fd12::2/128\n" // never expires, no name
	got, err := parseOdhcpdLeases(fileOdhcpdLeases, []byte(in), maxLeases)
	if err != nil {
		t.Fatal(err)
	}
	want := []Lease{
		{Source: "odhcpd", Family: "ipv6", IP: "fd12::4a", Addresses: []string{"fd12::4a/128", "2001:db8::4a/128"}, Hostname: "laptop",
			ClientID: "00:01:00:01:29:7a:a3:10:00:00:5e:00:53:a1", IAID: "c5e1f3a", Interface: "br-lan", Expires: 1733415400},
		{Source: "odhcpd", Family: "ipv4", IP: "192.168.1.47", MAC: "00:00:5e:00:53:a2", Hostname: "phone of?eve", Interface: "br-lan", Expires: 1733415401},
		{Source: "odhcpd", Family: "ipv6", IP: "fd12::2", Addresses: []string{"fd12::2/128"}, ClientID: "00:03", IAID: "2", Interface: "br-lan"},
	}
	if fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", want) {
		t.Fatalf("got  %+v\nwant %+v", got, want)
	}
	for _, bad := range []string{
		"# br-lan 0003 1 x 10 1\n",                 // 6 fields
		"# br-lan 0003 1 x -2 1 128 fd12::1/128\n", // expiry below -1
		"# br-lan 0003 1 x 10 1 128 fd12::1\n",     // no prefix length
		"# bad/if 0003 1 x 10 1 128 fd12::1/128\n", // interface name
	} {
		_, err := parseOdhcpdLeases(fileOdhcpdLeases, []byte(bad), maxLeases)
		checkParseErr(t, fileOdhcpdLeases, err)
		if err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
}

func TestDHCPLeasesSources(t *testing.T) {
	b := mapFS(map[string]string{fileDnsmasqLeasesDebian: "5 00:00:5e:00:53:01 10.0.0.5 deb *\n"})
	got, err := b.DHCPLeases()
	if len(got) != 1 || got[0].Hostname != "deb" {
		t.Fatalf("got %+v, want Debian's lease file read", got)
	}
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "/tmp/hosts/odhcpd") {
		t.Fatalf("error = %v, want the missing odhcpd file named", err)
	}
}

func TestLeaseHostname(t *testing.T) {
	for in, want := range map[string]string{"*": "", "-": "", "a\x00b\x1b[31m": "a?b?[31m", "\xff\xfe": "?",
		strings.Repeat("é", 200): strings.Repeat("é", 126)} {
		if got := leaseHostname(in); got != want {
			t.Errorf("leaseHostname(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzDnsmasqLeases(f *testing.F) {
	addFixtureSeeds(f, fileDnsmasqLeases)
	f.Add([]byte("duid 00:01\n1 T1 ::ffff:1.2.3.4 * *\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ls, err := parseDnsmasqLeases(fileDnsmasqLeases, data, maxLeases)
		checkParseErr(t, fileDnsmasqLeases, err)
		checkLeases(t, ls)
	})
}

func FuzzOdhcpdLeases(f *testing.F) {
	addFixtureSeeds(f, fileOdhcpdLeases)
	f.Fuzz(func(t *testing.T, data []byte) {
		ls, err := parseOdhcpdLeases(fileOdhcpdLeases, data, maxLeases)
		checkParseErr(t, fileOdhcpdLeases, err)
		checkLeases(t, ls)
	})
}

// checkLeases asserts what every parsed lease promises.
func checkLeases(t *testing.T, ls []Lease) {
	t.Helper()
	if len(ls) > maxLeases {
		t.Fatalf("%d leases past the bound", len(ls))
	}
	for _, l := range ls {
		if l.IP == "" || l.Expires < 0 || len(l.Hostname) > maxHostname || !utf8.ValidString(l.Hostname) {
			t.Fatalf("bad lease %+v", l)
		}
		for _, r := range l.Hostname {
			if r < 0x20 || r == 0x7f {
				t.Fatalf("control character in hostname %q", l.Hostname)
			}
		}
	}
	if _, err := json.Marshal(ls); err != nil {
		t.Fatal(err)
	}
}
