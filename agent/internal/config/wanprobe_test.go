package config

import (
	"strings"
	"testing"
	"time"
)

// checkValidate checks c.Validate(): no error when want is empty, else
// an error whose text contains want.
func checkValidate(t *testing.T, c Config, want string) {
	t.Helper()
	err := c.Validate()
	if want == "" {
		if err != nil {
			t.Fatalf("Validate() = %v, want nil", err)
		}
		return
	}
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("Validate() = %v, want an error naming %q", err, want)
	}
}

func TestWANProbeValidate(t *testing.T) {
	ok := Default().WANProbe
	ok.Target = "192.0.2.1"
	tests := []struct {
		name string
		edit func(*WANProbe)
		want string // "" for valid
	}{
		{name: "off", edit: func(p *WANProbe) { *p = WANProbe{} }},
		{name: "defaults with a target", edit: func(p *WANProbe) {}},
		{name: "host name", edit: func(p *WANProbe) { p.Target = "one.one.one.one" }},
		{name: "count 0", edit: func(p *WANProbe) { p.Count = 0 }, want: "wan_probe.count"},
		{name: "count 101", edit: func(p *WANProbe) { p.Count = 101 }, want: "wan_probe.count"},
		{name: "timeout 0", edit: func(p *WANProbe) { p.Timeout = 0 }, want: "wan_probe.timeout"},
		{name: "interval 0", edit: func(p *WANProbe) { p.Interval = 0 }, want: "wan_probe.interval"},
		{name: "round longer than interval", edit: func(p *WANProbe) { p.Count, p.Timeout = 10, Duration(time.Second) }, want: "must be less than interval"},
		{name: "target too long", edit: func(p *WANProbe) { p.Target = strings.Repeat("a", 254) }, want: "wan_probe.target"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Default()
			c.WANProbe = ok
			tt.edit(&c.WANProbe)
			checkValidate(t, c, tt.want)
		})
	}
}
