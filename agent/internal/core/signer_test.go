package core

import (
	"errors"
	"strings"
	"testing"
)

func TestPlanSuccession(t *testing.T) {
	const a, b = "aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb"
	cases := []struct {
		name      string
		prev      predecessor
		next      string
		confirmed bool
		wantErr   bool
		wipe      bool
		event     string // substring of the event; "" for none
	}{
		{"new plugin, nothing left", predecessor{}, a, false, false, false, ""},
		{"new unsigned plugin, nothing left", predecessor{}, "", false, false, false, ""},
		{"upgrade, same key", predecessor{installed: true, signer: a}, a, false, false, false, ""},
		{"upgrade, unsigned after unsigned", predecessor{installed: true}, "", false, false, false, ""},
		{"upgrade, other key", predecessor{installed: true, signer: a}, b, false, true, false, ""},
		{"upgrade, unsigned after signed", predecessor{installed: true, signer: a}, "", false, true, false, ""},
		{"upgrade, signed after unsigned", predecessor{installed: true}, b, false, true, false, ""},
		{"upgrade, other key, confirmed", predecessor{installed: true, signer: a}, b, true, false, false, "from key " + a + " to key " + b},
		{"upgrade, unsigned after signed, confirmed", predecessor{installed: true, signer: a}, "", true, false, false, "to key none"},
		{"data left by the same key", predecessor{signer: a, dataKeys: 3}, a, false, false, false, ""},
		{"data left by another key", predecessor{signer: a, dataKeys: 3}, b, false, false, true, "3 kv keys left by a removed p (key " + a + ") wiped"},
		{"data left by an unsigned plugin", predecessor{dataKeys: 1}, "", false, false, true, "wiped"},
		{"data of unknown signer, signed package", predecessor{dataKeys: 1}, a, false, false, true, "(key none) wiped"},
		{"data left by another key, confirmed", predecessor{signer: a, dataKeys: 2}, b, true, false, false, "takes over 2 kv keys"},
		{"record of another key, no data", predecessor{signer: a}, b, false, false, false, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := planSuccession("p", c.prev, provenance{signer: c.next}, c.confirmed)
			if c.wantErr {
				if !errors.Is(err, errSignerChanged) || !strings.Contains(err.Error(), "allow_signer_change") {
					t.Fatalf("err = %v, want errSignerChanged naming the flag", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.wipeData != c.wipe || (c.event == "") != (got.event == "") || !strings.Contains(got.event, c.event) {
				t.Fatalf("got %+v, want wipe %v and an event with %q", got, c.wipe, c.event)
			}
		})
	}
}

func TestCheckNotBundled(t *testing.T) {
	for _, name := range []string{"loadavg", "netdev", "example-counter"} {
		if err := checkNotBundled(name); !errors.Is(err, errRejected) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if err := checkNotBundled("systemd"); err != nil {
		t.Errorf("systemd: %v", err)
	}
}

// TestUntrustedSignerIsNamed: a package signed by a key the agent does
// not trust is described as signed by that key, never as unsigned, in
// refusals and events alike.
func TestUntrustedSignerIsNamed(t *testing.T) {
	const a, u = "aaaaaaaaaaaaaaaa", "0123456789abcdef"
	next := provenance{untrusted: u}
	if got := next.String(); got != "signed by untrusted key "+u {
		t.Errorf("String() = %q", got)
	}
	if got := (provenance{}).String(); got != "unsigned" {
		t.Errorf("unsigned String() = %q", got)
	}
	_, err := planSuccession("p", predecessor{installed: true, signer: a}, next, false)
	if err == nil || !strings.Contains(err.Error(), "this package is signed by untrusted key "+u) {
		t.Errorf("refusal = %v, want the untrusted key named", err)
	}
	for _, c := range []struct {
		prev predecessor
		want string
	}{
		{predecessor{installed: true, signer: a}, "to untrusted key " + u},
		{predecessor{signer: a, dataKeys: 2}, "new p (untrusted key " + u + ") takes over"},
	} {
		got, err := planSuccession("p", c.prev, next, true)
		if err != nil || !strings.Contains(got.event, c.want) || strings.Contains(got.event, "unsigned") {
			t.Errorf("confirmed over %+v: %q, %v; want %q", c.prev, got.event, err, c.want)
		}
	}
	got, _ := planSuccession("p", predecessor{dataKeys: 1}, next, false)
	if !strings.Contains(got.event, "wiped before installing a package signed by untrusted key "+u) {
		t.Errorf("wipe event %q", got.event)
	}
}
