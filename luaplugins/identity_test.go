package luaplugins

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"

	"github.com/heimnetz/heimnetz/board"
)

// identityProbe prints what the clients module tells of the fixture's
// first lease, first odhcpd lease and the 5 GHz station, and that the
// station and the lease of the same laptop carry the same identity.
const identityProbe = `
local leases = clients.dhcp_leases()
local l, v6 = leases[1], leases[5]
print("lease", l.ip, tostring(l.mac), tostring(l.hostname), tostring(l.client_id))
print("odhcpd", v6.ip, tostring(v6.hostname), tostring(v6.client_id), v6.iaid)
local st = clients.wifi_stations()[3]
print("station", st.interface, tostring(st.mac), st.signal_dbm, tostring(st.mac == l.mac))
print("traffic", clients.traffic().clients[1].ip)
`

// TestClientIdentity runs the clients module in the three modes of
// Identity. The hashes are HMAC-SHA256 with the key "heimnetz-test-key",
// computed outside Go (Python's hmac) and fixed here: a change of the
// algorithm would break every device's series, so it must fail a test.
func TestClientIdentity(t *testing.T) {
	for _, tt := range []struct {
		name string
		id   Identity
		want []string
	}{
		{"exposed", Identity{Expose: true, Key: []byte("heimnetz-test-key")}, []string{
			"info: lease\t192.168.1.23\t00:00:5e:00:53:a1\tlaptop-anna\t01:00:00:5e:00:53:a1",
			"info: odhcpd\tfd12:3456:789a::4a\tlaptop-anna\t00:01:00:01:29:7a:a3:10:00:00:5e:00:53:a1\t0c5e1f3a",
			"info: station\tphy1-ap0\t00:00:5e:00:53:a1\t-47\ttrue",
			"info: traffic\t192.168.1.23",
		}},
		{"hashed", Identity{Key: []byte("heimnetz-test-key")}, []string{
			"info: lease\t192.168.1.23\th:a5a789023675\tnil\th:f5b8019ced9f",
			"info: odhcpd\tfd12:3456:789a::4a\tnil\th:76280cd96c7e\t0c5e1f3a",
			"info: station\tphy1-ap0\th:a5a789023675\t-47\ttrue",
			"info: traffic\t192.168.1.23",
		}},
		{"removed", Identity{}, []string{
			"info: lease\t192.168.1.23\tnil\tnil\tnil",
			"info: odhcpd\tfd12:3456:789a::4a\tnil\tnil\t0c5e1f3a",
			"info: station\tphy1-ap0\tnil\t-47\ttrue",
			"info: traffic\t192.168.1.23",
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			logs, err := loadOnBoardAs(t, fixtureBoard(t, "openwrt-mt7621"), tt.id, identityProbe, "clients")
			if err != nil {
				t.Fatal(err)
			}
			if got, want := strings.Join(logs, "\n"), strings.Join(tt.want, "\n"); got != want {
				t.Errorf("got\n%s\nwant\n%s", got, want)
			}
		})
	}
}

func TestIdentityMask(t *testing.T) {
	id := Identity{Key: []byte("heimnetz-test-key")}
	for in, want := range map[string]string{
		"00:00:5e:00:53:a1": "h:a5a789023675",
		"00:00:5E:00:53:A1": "h:a5a789023675", // case does not split a device
		"":                  "",
	} {
		if got := id.Mask(in); got != want {
			t.Errorf("Mask(%q) = %q, want %q", in, got, want)
		}
	}
	if got := (Identity{Key: []byte("other key")}).Mask("00:00:5e:00:53:a1"); got == "h:a5a789023675" || !strings.HasPrefix(got, IdentityHashPrefix) || len(got) != 14 {
		t.Errorf("another key gives %q", got)
	}
	if got := (Identity{}).Mask("00:00:5e:00:53:a1"); got != "" {
		t.Errorf("no key gives %q, want nothing", got)
	}
}

// TestIdentityLeavesBoardAlone: masking copies, so the board's cached
// leases keep their identities for the next plugin (which may be one the
// owner lets see them).
func TestIdentityLeavesBoardAlone(t *testing.T) {
	b := fixtureBoard(t, "openwrt-mt7621")
	ls, err := b.DHCPLeases()
	if err != nil {
		t.Fatal(err)
	}
	masked := Identity{}.leases(ls)
	if ls[0].MAC != "00:00:5e:00:53:a1" || ls[0].Hostname != "laptop-anna" || masked[0].MAC != "" || masked[0].Hostname != "" {
		t.Errorf("board lease %+v, masked %+v", ls[0], masked[0])
	}
}

// TestMaskerReused: one masker reset between values gives each the hash
// a fresh HMAC gives it, whatever came before (a longer value, a non-ASCII
// one, the same value twice).
func TestMaskerReused(t *testing.T) {
	id := Identity{Key: []byte("heimnetz-test-key")}
	fresh := func(v string) string {
		m := hmac.New(sha256.New, id.Key)
		m.Write([]byte(strings.ToLower(v)))
		return IdentityHashPrefix + hex.EncodeToString(m.Sum(nil))[:identityHashHex]
	}
	var m masker
	for _, v := range []string{"00:00:5E:00:53:A1", "01:00:00:5e:00:53:a2:ff:ff", "ÄB:CD", "ab", "00:00:5e:00:53:a1", "00:00:5e:00:53:a1", "\xff\xfeAB", "Ω"} {
		if got, want := m.mask(id, v), fresh(v); got != want {
			t.Errorf("mask(%q) after others = %q, want %q", v, got, want)
		}
	}
}

// TestMaskMemo checks that a plugin's memo of hashes gives what Mask
// gives, for values seen before and not, in either case of letters, and
// stays within its bound when devices keep changing.
func TestMaskMemo(t *testing.T) {
	id := Identity{Key: []byte("heimnetz-test-key")}
	memo := id.withMemo()
	if memo.masks == nil {
		t.Fatal("no memo for a keyed identity")
	}
	var m masker
	for i := range 3000 {
		v := fmt.Sprintf("02:00:00:00:%02x:%02x", (i%700)/256, (i%700)%256)
		if i%3 == 0 {
			v = strings.ToUpper(v)
		}
		if got, want := m.mask(memo, v), id.Mask(v); got != want {
			t.Fatalf("%s: memo gives %q, Mask %q", v, got, want)
		}
		if n := len(memo.masks.m); n > maskMemoSize {
			t.Fatalf("memo holds %d values, bound %d", n, maskMemoSize)
		}
	}
	for _, plain := range []Identity{{}, {Expose: true, Key: []byte("k")}} {
		if plain.withMemo().masks != nil {
			t.Errorf("%+v: a memo where nothing is hashed", plain)
		}
	}
}

// BenchmarkIdentityStations masks the MT7621 fixture's Wi-Fi stations as
// clients.stations does, with a fresh masker per read, without and with
// the plugin's memo of hashes.
func BenchmarkIdentityStations(b *testing.B) {
	brd := board.NewDir(roundFixture)
	defer brd.Close()
	ss, err := brd.WifiStations()
	if err != nil || len(ss) == 0 {
		b.Fatal(len(ss), err)
	}
	id := Identity{Key: []byte("0123456789abcdef0123456789abcdef")}
	for _, c := range []struct {
		name string
		id   Identity
	}{{"hmac", id}, {"memo", id.withMemo()}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				c.id.stations(ss)
			}
		})
	}
}
