package board

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/netip"
	"strings"
	"testing"
)

var testLAN = []netip.Prefix{netip.MustParsePrefix("192.168.1.0/24"), netip.MustParsePrefix("fd12::/64")}

func TestParseConntrack(t *testing.T) {
	in := "ipv4     2 tcp      6 7439 ESTABLISHED src=192.168.1.23 dst=142.250.185.78 sport=51234 dport=443 packets=10 bytes=1000 src=142.250.185.78 dst=198.51.100.23 sport=443 dport=51234 packets=20 bytes=30000 [ASSURED] mark=0 zone=0 use=2\n" +
		"ipv4     2 udp      17 29 src=192.168.1.23 dst=1.1.1.1 sport=1 dport=53 packets=1 bytes=60 [UNREPLIED] src=1.1.1.1 dst=198.51.100.23 sport=53 dport=1 packets=0 bytes=0 mark=0 use=1\n" +
		"ipv6     10 tcp      6 10 ESTABLISHED src=fd12:0000:0000:0000:0000:0000:0000:004a dst=2a00:1450:4001:0829:0000:0000:0000:200e sport=1 dport=443 packets=5 bytes=500 src=2a00:1450:4001:0829:0000:0000:0000:200e dst=fd12:0000:0000:0000:0000:0000:0000:004a sport=443 dport=1 packets=6 bytes=600 [ASSURED] mark=0 zone=0 use=2\n" +
		"ipv4     2 udp      17 29 src=198.51.100.1 dst=198.51.100.23 sport=67 dport=68 packets=1 bytes=328 src=198.51.100.23 dst=198.51.100.1 sport=68 dport=67 packets=0 bytes=0 mark=0 use=2\n" +
		"ipv4     2 unknown  2 599 src=192.168.1.9 dst=224.0.0.22 packets=4 bytes=160 [UNREPLIED] src=224.0.0.22 dst=192.168.1.9 packets=0 bytes=0 mark=0 use=2\n" +
		"garbage line\n" +
		"ipv4 2 tcp 6 1 src=not.an.ip dst=1.1.1.1\n"
	got, err := parseConntrack(strings.NewReader(in), testLAN)
	if err != nil {
		t.Fatal(err)
	}
	want := Traffic{
		Clients: []ClientTraffic{
			{IP: "192.168.1.9", TxBytes: 160, TxPackets: 4, Flows: 1},
			{IP: "192.168.1.23", TxBytes: 1060, RxBytes: 30000, TxPackets: 11, RxPackets: 20, Flows: 2},
			{IP: "fd12::4a", TxBytes: 500, RxBytes: 600, TxPackets: 5, RxPackets: 6, Flows: 1},
		},
		Flows: 5, Accounting: true, Skipped: 2,
	}
	if fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", want) {
		t.Fatalf("got  %+v\nwant %+v", got, want)
	}
}

func TestConntrackWithoutAccounting(t *testing.T) {
	in := "ipv4     2 tcp      6 7439 ESTABLISHED src=192.168.1.23 dst=142.250.185.78 sport=51234 dport=443 src=142.250.185.78 dst=198.51.100.23 sport=443 dport=51234 [ASSURED] mark=0 zone=0 use=2\n"
	got, err := parseConntrack(strings.NewReader(in), testLAN)
	if err != nil || got.Accounting || got.Flows != 1 || len(got.Clients) != 1 || got.Clients[0].Flows != 1 {
		t.Fatalf("got %+v, %v; want one flow, one client, no accounting", got, err)
	}
}

func TestConntrackBounds(t *testing.T) {
	var b bytes.Buffer
	for i := range maxClients + 10 {
		fmt.Fprintf(&b, "ipv4 2 udp 17 29 src=10.%d.%d.1 dst=1.1.1.1 sport=1 dport=53 packets=1 bytes=60 src=1.1.1.1 dst=10.0.0.1 packets=1 bytes=90\n", i/256, i%256)
	}
	got, err := parseConntrack(&b, []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")})
	if err != nil || len(got.Clients) != maxClients || !got.Truncated || got.Flows != maxClients+10 {
		t.Fatalf("%d clients, %d flows, truncated %v, %v", len(got.Clients), got.Flows, got.Truncated, err)
	}

	long := "ipv4 2 tcp 6 1 src=192.168.1.5 " + strings.Repeat("x", 3*maxConntrackLine) + "\n" +
		"ipv4 2 tcp 6 1 src=192.168.1.6 dst=1.1.1.1 packets=1 bytes=2 src=1.1.1.1 dst=2.2.2.2 packets=3 bytes=4\n"
	got, err = parseConntrack(strings.NewReader(long), testLAN)
	if err != nil || got.Skipped != 1 || len(got.Clients) != 1 || got.Clients[0].IP != "192.168.1.6" {
		t.Fatalf("long line: %+v, %v; want it skipped and the next line read", got, err)
	}

	line := "ipv4 2 udp 17 29 src=192.168.1.7 dst=1.1.1.1 sport=1 dport=53 packets=1 bytes=60 src=1.1.1.1 dst=10.0.0.1 packets=1 bytes=90\n"
	big := strings.Repeat(line, maxConntrackBytes/len(line)+100)
	got, err = parseConntrack(strings.NewReader(big), testLAN)
	if err != nil || !got.Truncated || got.Flows > uint64(maxConntrackBytes/len(line)) {
		t.Fatalf("%d bytes: flows %d, truncated %v, %v; want the read bounded", len(big), got.Flows, got.Truncated, err)
	}
}

func TestLANPrefixesFallback(t *testing.T) {
	got, err := mapFS(nil).LANPrefixes()
	if err == nil || fmt.Sprint(got) != "[10.0.0.0/8 172.16.0.0/12 192.168.0.0/16 fc00::/7]" {
		t.Fatalf("LANPrefixes() without routes = %v, %v; want the private ranges and a reason", got, err)
	}
}

func FuzzConntrack(f *testing.F) {
	addFixtureSeeds(f, fileConntrack)
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := parseConntrack(bytes.NewReader(data), testLAN)
		if err != nil {
			t.Fatalf("error from a reader that cannot fail: %v", err)
		}
		if len(got.Clients) > maxClients {
			t.Fatalf("%d clients", len(got.Clients))
		}
		var flows uint64
		for _, c := range got.Clients {
			a, err := netip.ParseAddr(c.IP)
			if err != nil || !inPrefixes(a, testLAN) {
				t.Fatalf("client %q outside the LAN", c.IP)
			}
			flows += c.Flows
		}
		if flows > got.Flows {
			t.Fatalf("clients' flows %d > all flows %d", flows, got.Flows)
		}
		if _, err := json.Marshal(got); err != nil {
			t.Fatal(err)
		}
	})
}

// BenchmarkParseConntrack parses a full table of a router's default size
// (nf_conntrack_max 16384) with 200 LAN clients.
func BenchmarkParseConntrack(b *testing.B) {
	var buf bytes.Buffer
	for i := range 16384 {
		fmt.Fprintf(&buf, "ipv4     2 tcp      6 7439 ESTABLISHED src=192.168.1.%d dst=142.250.%d.%d sport=%d dport=443 packets=1234 bytes=98765 src=142.250.%d.%d dst=198.51.100.23 sport=443 dport=%d packets=2345 bytes=3456789 [ASSURED] mark=0 zone=0 use=2\n",
			i%200, i/256%256, i%256, 10000+i, i/256%256, i%256, 10000+i)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		t, err := parseConntrack(bytes.NewReader(data), testLAN)
		if err != nil || len(t.Clients) != 200 {
			b.Fatal(len(t.Clients), err)
		}
	}
}
