package web

import (
	"errors"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"
)

func TestHostAllowed(t *testing.T) {
	ifaces := []net.Addr{
		&net.IPNet{IP: net.ParseIP("192.168.1.1"), Mask: net.CIDRMask(24, 32)},
		&net.IPNet{IP: net.ParseIP("fd00::1"), Mask: net.CIDRMask(64, 128)},
	}
	h := newHostCheck("0.0.0.0:9110", []string{"Router.LAN.", "openwrt"}, time.Now)
	h.list = func() ([]net.Addr, error) { return ifaces, nil }
	local := &net.TCPAddr{IP: net.ParseIP("10.0.0.7"), Port: 9110}
	for _, c := range []struct {
		host string
		want bool
	}{
		{"", true}, // HTTP/1.0 without Host: not a browser
		{"localhost", true},
		{"LOCALHOST:9110", true},
		{"localhost.:80", true},
		{"router.lan", true},
		{"router.lan:9110", true},
		{"openwrt:9110", true},
		{"0.0.0.0:9110", true}, // the listen host, as configured
		{"127.0.0.1:9110", true},
		{"127.8.9.10", true},
		{"[::1]:9110", true},
		{"[::ffff:127.0.0.1]:9110", true},
		{"10.0.0.7:9110", true}, // the address the request arrived on
		{"192.168.1.1", true},
		{"[fd00::1]:9110", true},
		{"[fd00::1]", true},
		{"evil.example", false},
		{"evil.example:9110", false},
		{"router.lan.evil.example", false},
		{"localhost.evil.example", false},
		{"192.168.1.2", false},
		{"[fd00::2]:9110", false},
		{"fd00::1", false},        // IPv6 without brackets is not a Host
		{"[fd00::1", false},       // unclosed bracket
		{"[fd00::1]x", false},     // junk after the bracket
		{"[fe80::1%eth0]", false}, // zones never name this agent
		{"router.lan:9110:1", false},
		{"192.168.1.1.nip.io", false},
	} {
		if got := h.allowed([]byte(c.host), local); got != c.want {
			t.Errorf("allowed(%q) = %v, want %v", c.host, got, c.want)
		}
	}
}

// TestHostRefresh: an address the interfaces gain later (DHCP) is
// accepted once the list is read again, and a failing list accepts nothing
// beyond the names.
func TestHostRefresh(t *testing.T) {
	now := time.Unix(1000, 0)
	var addrs []net.Addr
	var listErr error
	h := newHostCheck("127.0.0.1:9110", nil, func() time.Time { return now })
	h.list = func() ([]net.Addr, error) { return addrs, listErr }
	if h.allowed([]byte("192.168.1.1"), nil) {
		t.Fatal("unknown address accepted")
	}
	addrs = []net.Addr{&net.IPAddr{IP: net.ParseIP("192.168.1.1")}}
	if h.allowed([]byte("192.168.1.1"), nil) {
		t.Fatal("list read again before the refresh interval")
	}
	now = now.Add(11 * time.Second)
	if !h.allowed([]byte("192.168.1.1"), nil) {
		t.Fatal("new interface address not accepted after the refresh interval")
	}
	now = now.Add(11 * time.Second)
	addrs, listErr = nil, errors.New("no netlink")
	if h.allowed([]byte("192.168.1.2"), nil) || !h.allowed([]byte("localhost"), nil) {
		t.Fatal("a failing interface list changed the verdict on names")
	}
}

// TestHostHeaderRoutes: a foreign Host (DNS rebinding) gets 421 with a
// JSON error on every page and API route, while /metrics and /healthz are
// served.
func TestHostHeaderRoutes(t *testing.T) {
	e := newTestEnv(t, func(c *Config) { c.Hostnames = []string{"router.lan"} })
	for _, path := range []string{"/", "/events", "/settings", "/login", "/docs", "/plugins/net", "/static/app.css",
		"/api/v1/overview", "/api/v1/plugins", "/api/v1/plugins/net", "/api/v1/events", "/api/v1/history", "/api/v1/settings", "/nope"} {
		r := e.get(path, "Host: rebind.evil.example:9110")
		if r.code != 421 || !strings.HasPrefix(r.body, `{"error":"misdirected request`) {
			t.Errorf("GET %s with a foreign Host = %d %.80s, want 421 JSON", path, r.code, r.body)
		}
		if r := e.get(path, "Host: router.lan:9110"); r.code == 421 {
			t.Errorf("GET %s with a configured name = 421", path)
		}
	}
	r := e.do("POST", "/api/v1/events/ack", `{"seqs":[1]}`, e.bearer(), "Host: rebind.evil.example")
	if r.code != 421 {
		t.Errorf("admin POST with a foreign Host = %d, want 421 even with the token", r.code)
	}
	for _, path := range []string{"/metrics", "/healthz"} {
		if r := e.get(path, "Host: rebind.evil.example"); r.code != 200 {
			t.Errorf("GET %s with a foreign Host = %d, want 200 (exempt)", path, r.code)
		}
	}
}

// FuzzHostAllowed: any Host header is judged without a panic, the same
// way in any letter case, and never accepted when its host part is not
// one of the names or a loopback or interface address.
func FuzzHostAllowed(f *testing.F) {
	for _, s := range []string{"", "localhost", "router.lan:9110", "[::1]:80", "[fd00::1", "192.168.1.1", "a:b:c", "[]", ":", "[::ffff:127.0.0.1]", "ROUTER.LAN."} {
		f.Add(s)
	}
	h := newHostCheck("127.0.0.1:9110", []string{"router.lan"}, time.Now)
	h.list = func() ([]net.Addr, error) {
		return []net.Addr{&net.IPNet{IP: net.ParseIP("192.168.1.1"), Mask: net.CIDRMask(24, 32)}}, nil
	}
	f.Fuzz(func(t *testing.T, host string) {
		got := h.allowed([]byte(host), nil)
		// (ASCII only: Unicode case mapping can turn a non-ASCII letter
		// into an ASCII one, "ſ" into "S".)
		if upper := strings.ToUpper(host); isASCII(host) && got != h.allowed([]byte(upper), nil) {
			t.Fatalf("allowed(%q) = %v but allowed(%q) differs", host, got, upper)
		}
		if !got || host == "" {
			return
		}
		name, ok := hostPart(host)
		name = normalHost(name)
		ip, err := netip.ParseAddr(name)
		if !ok || !(h.names[name] || err == nil && (ip.Unmap().IsLoopback() || ip.Unmap() == netip.MustParseAddr("192.168.1.1"))) {
			t.Fatalf("allowed(%q): host part %q is no name or address of this agent", host, name)
		}
	})
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
