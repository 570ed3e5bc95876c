package board

import (
	"encoding/binary"
	"fmt"
	"testing"
)

func TestParseRoutesByteOrder(t *testing.T) {
	// The same table as a little-endian (mipsel, x86) and a big-endian
	// (ath79) kernel print it.
	le := "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n" +
		"wan\t00000000\t016433C6\t0003\t0\t0\t10\t00000000\t0\t0\t0\n" +
		"br-lan\t0001A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n" +
		"down0\t0002A8C0\t00000000\t0000\t0\t0\t0\t00FFFFFF\t0\t0\t0\n" + // not up
		"lo\t0000007F\t00000000\t0201\t0\t0\t0\t000000FF\t0\t0\t0\n" // reject
	be := "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n" +
		"wan\t00000000\tC6336401\t0003\t0\t0\t10\t00000000\t0\t0\t0\n" +
		"br-lan\tC0A80100\t00000000\t0001\t0\t0\t0\tFFFFFF00\t0\t0\t0\n"
	want := "[{wan 0.0.0.0/0 198.51.100.1 10} {br-lan 192.168.1.0/24  0}]"
	for _, tt := range []struct {
		in    string
		order binary.ByteOrder
	}{{le, binary.LittleEndian}, {be, binary.BigEndian}} {
		got, err := parseRoutes(fileRoute, []byte(tt.in), tt.order)
		if err != nil || fmt.Sprint(got) != want {
			t.Errorf("%v: %v, %v; want %s", tt.order, got, err, want)
		}
	}
	for _, bad := range []string{
		"wan\t00000000\t016433C6\t0003\t0\t0\t10\n",                     // short
		"wan\t0000000G\t016433C6\t0003\t0\t0\t10\t00000000\t0\t0\t0\n",  // not hex
		"wan\t00000000\t016433C6\t0003\t0\t0\t10\t00FF00FF\t0\t0\t0\n",  // mask with a hole
		"wan\t00000000\t016433C6\t0003\t0\t0\t-10\t00000000\t0\t0\t0\n", // negative metric
		"wan\t000000000\t016433C6\t0003\t0\t0\t10\t00000000\t0\t0\t0\n", // 9 digits
	} {
		_, err := parseRoutes(fileRoute, []byte(bad), binary.LittleEndian)
		checkParseErr(t, fileRoute, err)
		if err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
}

func TestParseIPv6Routes(t *testing.T) {
	in := "00000000000000000000000000000000 00 00000000000000000000000000000000 00 fe800000000000000000000000000001 00000400 00000001 00000000 00000003      wan\n" +
		"fd123456789a00000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000400 00000001 00000000 00000001   br-lan\n" +
		"00000000000000000000000000000001 80 00000000000000000000000000000000 00 00000000000000000000000000000000 00000000 00000002 00000000 80200001       lo\n" +
		"fd123456789a00000000000000000000 30 00000000000000000000000000000000 00 00000000000000000000000000000000 7fffffff 00000001 00000000 00200200       lo\n"
	got, err := parseIPv6Routes(fileIPv6Route, []byte(in))
	want := "[{wan ::/0 fe80::1 1024} {br-lan fd12:3456:789a::/64  1024}]"
	if err != nil || fmt.Sprint(got) != want {
		t.Fatalf("got %v, %v; want %s", got, err, want)
	}
	_, err = parseIPv6Routes(fileIPv6Route, []byte("00 00 00 00 00 00 00 00 00 wan\n"))
	checkParseErr(t, fileIPv6Route, err)
	if err == nil {
		t.Fatal("accepted short addresses")
	}
}

func TestWANWithoutDefaultRoute(t *testing.T) {
	b := mapFS(map[string]string{fileRoute: "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n" +
		"br-lan\t0001A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n"})
	w, err := b.WAN()
	if err != nil || w.Interface != "" || w.Up || len(w.Addresses) != 0 {
		t.Fatalf("WAN() = %+v, %v; want no uplink and no error", w, err)
	}
}

func FuzzRoutes(f *testing.F) {
	addFixtureSeeds(f, fileRoute)
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, order := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
			rs, err := parseRoutes(fileRoute, data, order)
			checkParseErr(t, fileRoute, err)
			if len(rs) > maxRoutes {
				t.Fatalf("%d routes", len(rs))
			}
		}
	})
}

func FuzzIPv6Routes(f *testing.F) {
	addFixtureSeeds(f, fileIPv6Route)
	f.Fuzz(func(t *testing.T, data []byte) {
		rs, err := parseIPv6Routes(fileIPv6Route, data)
		checkParseErr(t, fileIPv6Route, err)
		if len(rs) > maxRoutes {
			t.Fatalf("%d routes", len(rs))
		}
	})
}
