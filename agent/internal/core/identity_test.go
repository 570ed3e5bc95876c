package core

import (
	"regexp"
	"strings"
	"testing"

	"github.com/heimnetz/heimnetz/agent/internal/config"
)

// TestClientIdentityFollowsConfig: a plugin that labels DHCP leases by
// MAC exports the fixture's MAC addresses only with expose_client_identity
// on; by default it gets the keyed hash, the same across a restart.
func TestClientIdentityFollowsConfig(t *testing.T) {
	const main = `function collect()
  local leases = clients.dhcp_leases()
  for _, l in ipairs(leases) do
    metrics.set("who_lease", 1, { ip = l.ip, mac = l.mac or "none" })
  end
end
`
	const manifest = "version: 1.0.0\ninterval: 10s\npermissions: [clients, metrics]\n"
	rawMAC := regexp.MustCompile(`mac="00:00:5e:00:53:a1"`)
	hashed := regexp.MustCompile(`who_lease\{plugin="who",ip="192\.168\.1\.23",mac="(h:[0-9a-f]{12})"\} 1`)
	for _, expose := range []bool{false, true} {
		h := newHarness(t, func(c *config.Config) { c.ExposeClientIdentity = expose })
		h.writePlugin("who", manifest, main)
		h.start()
		h.runs("who", 1)
		text := h.metrics()
		if got := rawMAC.MatchString(text); got != expose {
			t.Errorf("expose_client_identity %v: raw MAC in /metrics = %v\n%s", expose, got, grepLines(text, "who_lease"))
		}
		if expose {
			continue
		}
		m := hashed.FindStringSubmatch(text)
		if m == nil {
			t.Fatalf("no hashed lease label:\n%s", grepLines(text, "who_lease"))
		}
		h.restart()
		h.runs("who", 2) // the record kept one run from before the restart
		if again := hashed.FindStringSubmatch(h.metrics()); again == nil || again[1] != m[1] {
			t.Errorf("after a restart the hash is %v, was %s", again, m[1])
		}
	}
}

func grepLines(text, substr string) string {
	var out []string
	for line := range strings.Lines(text) {
		if strings.Contains(line, substr) {
			out = append(out, line)
		}
	}
	return strings.Join(out, "")
}
