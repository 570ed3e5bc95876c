package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/heimnetz/heimnetz/agent/internal/alerts"
)

// TestAlertsSection: a partial alerts section keeps the other defaults,
// and a bad value is an error naming its field.
func TestAlertsSection(t *testing.T) {
	for _, c := range []struct {
		name, json, wantErr string
		check               func(alerts.Thresholds) bool
	}{
		{name: "defaults", json: `{}`, check: func(th alerts.Thresholds) bool { return th == alerts.DefaultThresholds() }},
		{name: "partial", json: `{"alerts": {"flash_used_percent": 80, "hold": "2m"}}`, check: func(th alerts.Thresholds) bool {
			return th.FlashUsedPercent == 80 && th.Hold == 2*time.Minute && th.MemoryWarningPercent == 80 && th.EvaluateInterval == 15*time.Second
		}},
		{name: "percent over 100", json: `{"alerts": {"flash_used_percent": 150}}`, wantErr: "alerts.flash_used_percent"},
		{name: "critical below warning", json: `{"alerts": {"memory_warning_percent": 90, "memory_critical_percent": 85}}`, wantErr: "alerts.memory_critical_percent"},
		{name: "interval too short", json: `{"alerts": {"evaluate_interval": "100ms"}}`, wantErr: "alerts.evaluate_interval"},
		{name: "no breaks", json: `{"alerts": {"breaks_count": 0}}`, wantErr: "alerts.breaks_count"},
		{name: "unknown field", json: `{"alerts": {"flash_percent": 90}}`, wantErr: "flash_percent"},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "c.json")
			if err := os.WriteFile(path, []byte(c.json), 0o600); err != nil {
				t.Fatal(err)
			}
			cfg := Default()
			err := cfg.LoadFile(path)
			if err == nil {
				err = cfg.Validate()
			}
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("error %v, want one naming %s", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if th := cfg.Alerts.Thresholds(); !c.check(th) {
				t.Errorf("thresholds %+v", th)
			}
		})
	}
}
