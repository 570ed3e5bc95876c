package board

import (
	"context"
	"errors"
	"net/netip"
	"testing"
	"time"
)

func TestParseEchoReply(t *testing.T) {
	reply4 := marshalEcho(false, 0x1234, 7, []byte("marker!!"))
	reply4[0] = icmpEchoReply4
	reply6 := marshalEcho(true, 0x4321, 9, []byte("m6"))
	reply6[0] = icmpEchoReply6
	// An IPv4 header (20 bytes, protocol 1) in front of reply4.
	withIP := append([]byte{0x45, 0, 0, 36, 0, 0, 0, 0, 64, 1, 0, 0, 127, 0, 0, 1, 127, 0, 0, 1}, reply4...)
	badIHL := append([]byte{0x4f}, withIP[1:]...)
	tcp := append([]byte{}, withIP...)
	tcp[9] = 6
	tests := []struct {
		name    string
		in      []byte
		v6      bool
		want    echoReply
		wantErr bool
	}{
		{name: "ipv4 reply", in: reply4, want: echoReply{ID: 0x1234, Seq: 7, Payload: []byte("marker!!")}},
		{name: "ipv4 reply after its ip header", in: withIP, want: echoReply{ID: 0x1234, Seq: 7, Payload: []byte("marker!!")}},
		{name: "ipv6 reply", in: reply6, v6: true, want: echoReply{ID: 0x4321, Seq: 9, Payload: []byte("m6")}},
		{name: "ipv4 request is not a reply", in: marshalEcho(false, 1, 1, nil), wantErr: true},
		{name: "ipv6 reply on an ipv4 socket", in: reply6, wantErr: true},
		{name: "ipv4 reply on an ipv6 socket", in: reply4, v6: true, wantErr: true},
		{name: "destination unreachable", in: []byte{3, 1, 0, 0, 0, 0, 0, 0}, wantErr: true},
		{name: "short", in: reply4[:7], wantErr: true},
		{name: "empty", in: nil, wantErr: true},
		{name: "ip header longer than the packet", in: badIHL[:30], wantErr: true},
		{name: "ip header of a tcp packet", in: tcp, wantErr: true},
		{name: "ip header alone", in: withIP[:20], wantErr: true},
		{name: "nonzero code", in: []byte{0, 1, 0, 0, 0, 0, 0, 0}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseEchoReply(tt.in, tt.v6)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("parseEchoReply = %+v, want an error", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.ID != tt.want.ID || got.Seq != tt.want.Seq || string(got.Payload) != string(tt.want.Payload) {
				t.Errorf("parseEchoReply = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestMarshalEchoChecksum(t *testing.T) {
	// A packet with its checksum in place sums to zero (RFC 1071).
	for _, payload := range [][]byte{nil, []byte("odd"), []byte("marker!!")} {
		b := marshalEcho(false, 0xbeef, 3, payload)
		if b[0] != icmpEchoRequest4 || len(b) != echoHeaderLen+len(payload) {
			t.Fatalf("marshalEcho = % x", b)
		}
		if s := icmpChecksum(b); s != 0 {
			t.Errorf("checksum over % x = %#04x, want 0", b, s)
		}
	}
	if b := marshalEcho(true, 1, 2, nil); b[0] != icmpEchoRequest6 || b[2] != 0 || b[3] != 0 {
		t.Errorf("ipv6 request % x: want type 128 and the checksum left to the kernel", b)
	}
}

func FuzzParseEchoReply(f *testing.F) {
	r := marshalEcho(false, 1, 2, []byte("payload!"))
	r[0] = icmpEchoReply4
	f.Add(r, false)
	f.Add(append([]byte{0x45, 0, 0, 36, 0, 0, 0, 0, 64, 1, 0, 0, 127, 0, 0, 1, 127, 0, 0, 1}, r...), false)
	f.Add([]byte{129, 0, 0, 0, 0, 1, 0, 2}, true)
	f.Add([]byte{0x4f, 0}, false)
	f.Fuzz(func(t *testing.T, b []byte, v6 bool) {
		got, err := parseEchoReply(b, v6)
		if err != nil {
			return
		}
		if len(got.Payload) > len(b)-echoHeaderLen {
			t.Fatalf("payload of %d bytes from a %d-byte packet", len(got.Payload), len(b))
		}
	})
}

// TestPingLoopback pings 127.0.0.1 (and ::1 where the host has it) in
// process: every request answered, round-trip times in order.
func TestPingLoopback(t *testing.T) {
	for _, a := range []string{"127.0.0.1", "::1"} {
		t.Run(a, func(t *testing.T) {
			res, err := Ping(context.Background(), netip.MustParseAddr(a), 3, time.Second)
			if errors.Is(err, ErrNoICMPPermission) || errors.Is(err, ErrNotSupported) {
				t.Skipf("%v (neither a ping socket nor a raw one here)", err)
			}
			if err != nil {
				if a == "::1" {
					t.Skipf("no IPv6 loopback: %v", err)
				}
				t.Fatal(err)
			}
			if res.Sent != 3 || res.Received != 3 || res.Address != a {
				t.Fatalf("Ping = %+v, want 3 of 3 from %s", res, a)
			}
			if !(res.RTTMin > 0 && res.RTTMin <= res.RTTAvg && res.RTTAvg <= res.RTTMax && res.RTTMax < 1) {
				t.Errorf("round-trip times out of order: %+v", res)
			}
		})
	}
}

// TestPingArguments refuses rounds the agent never asks for.
func TestPingArguments(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		count   int
		timeout time.Duration
	}{{0, time.Second}, {MaxPingCount + 1, time.Second}, {1, 0}} {
		if _, err := Ping(ctx, netip.MustParseAddr("127.0.0.1"), tc.count, tc.timeout); err == nil {
			t.Errorf("Ping(count %d, timeout %v): no error", tc.count, tc.timeout)
		}
	}
	if _, err := Ping(ctx, netip.Addr{}, 1, time.Second); err == nil {
		t.Error("Ping of no address: no error")
	}
}

// TestPingCancelled: a round whose context has ended sends nothing.
func TestPingCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err := Ping(ctx, netip.MustParseAddr("127.0.0.1"), 3, time.Second)
	if errors.Is(err, ErrNoICMPPermission) {
		t.Skip(err)
	}
	if err != nil || res.Sent != 0 {
		t.Errorf("Ping with an ended context = %+v, %v; want nothing sent", res, err)
	}
}
