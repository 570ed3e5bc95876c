package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestPluginSwitches: the config file's plugins object decodes into
// switches, and Validate accepts any well-formed name (known or not: a
// plugin may be installed later) and refuses a name no plugin can have
// and an interval outside MinInterval..MaxPluginInterval, naming the field.
func TestPluginSwitches(t *testing.T) {
	for _, c := range []struct {
		name, json, err string
		off             map[string]bool
		interval        map[string]time.Duration
	}{
		{"off and interval", `{"wifi-stations": {"enabled": false}, "cpu": {"interval": "30s"}}`, "",
			map[string]bool{"wifi-stations": true, "cpu": false}, map[string]time.Duration{"cpu": 30 * time.Second, "wifi-stations": 0}},
		{"on explicitly", `{"cpu": {"enabled": true}}`, "", map[string]bool{"cpu": false}, nil},
		{"unknown name is fine", `{"not-installed-yet": {"enabled": false}}`, "", map[string]bool{"not-installed-yet": true}, nil},
		{"empty", `{}`, "", nil, nil},
		{"shortest", `{"cpu": {"interval": "1s"}}`, "", nil, map[string]time.Duration{"cpu": time.Second}},
		{"longest", `{"cpu": {"interval": "24h"}}`, "", nil, map[string]time.Duration{"cpu": 24 * time.Hour}},
		{"too short", `{"cpu": {"interval": "500ms"}}`, "config plugins.cpu.interval: 500ms is outside 1s..24h0m0s", nil, nil},
		{"too long", `{"cpu": {"interval": "25h"}}`, "config plugins.cpu.interval: 25h0m0s is outside", nil, nil},
		{"UCI section name", `{"wifi_stations": {"enabled": false}}`, `config plugins: "wifi_stations" is not a plugin name`, nil, nil},
		{"upper case", `{"CPU": {}}`, `"CPU" is not a plugin name`, nil, nil},
		{"bad duration", `{"cpu": {"interval": "often"}}`, "often", nil, nil},
		{"unknown field", `{"cpu": {"every": "30s"}}`, `unknown field "every"`, nil, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "c.json")
			if err := os.WriteFile(path, []byte(`{"plugins": `+c.json+`}`), 0o600); err != nil {
				t.Fatal(err)
			}
			cfg := Default()
			err := cfg.LoadFile(path)
			if err == nil {
				err = cfg.Validate()
			}
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("error %v, want one containing %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for name, off := range c.off {
				if got := cfg.Plugins[name].Off(); got != off {
					t.Errorf("%s: off=%v, want %v", name, got, off)
				}
			}
			for name, d := range c.interval {
				if got := time.Duration(cfg.Plugins[name].Interval); got != d {
					t.Errorf("%s: interval %s, want %s", name, got, d)
				}
			}
		})
	}
}
