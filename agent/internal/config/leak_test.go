package config

import (
	"os"
	"path/filepath"
	"testing"
)

func TestLeakValidate(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Leak)
		want string // "" for valid
	}{
		{name: "defaults", edit: func(l *Leak) {}},
		{name: "shortest window", edit: func(l *Leak) { l.Runs = 10 }},
		{name: "window too short", edit: func(l *Leak) { l.Runs = 9 }, want: "config leak.runs: 9"},
		{name: "window too long", edit: func(l *Leak) { l.Runs = 10001 }, want: "config leak.runs: 10001"},
		{name: "no growth", edit: func(l *Leak) { l.MinGrowthBytes = 0 }, want: "config leak.min_growth_bytes: 0"},
		{name: "growth in the noise", edit: func(l *Leak) { l.MinGrowthBytes = 512 }, want: "config leak.min_growth_bytes: 512"},
		{name: "1 KiB", edit: func(l *Leak) { l.MinGrowthBytes = 1024 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Default()
			tt.edit(&c.Leak)
			checkValidate(t, c, tt.want)
		})
	}
}

// TestLeakFromFile reads the leak section as the init script writes it and
// checks the defaults of a file without one.
func TestLeakFromFile(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		file      string
		runs      int
		minGrowth int64
	}{
		{file: `{"leak": {"runs": 60, "min_growth_bytes": "1MiB"}}`, runs: 60, minGrowth: 1 << 20},
		{file: `{"leak": {"runs": 45}}`, runs: 45, minGrowth: 64 << 10},
		{file: `{}`, runs: 30, minGrowth: 64 << 10},
	} {
		path := filepath.Join(dir, "c.json")
		if err := os.WriteFile(path, []byte(tc.file), 0o600); err != nil {
			t.Fatal(err)
		}
		c := Default()
		if err := c.LoadFile(path); err != nil {
			t.Fatalf("%s: %v", tc.file, err)
		}
		if d := c.Leak.Detector(); d.Runs != tc.runs || d.MinGrowth != tc.minGrowth {
			t.Errorf("%s: detector %+v, want runs %d, min growth %d", tc.file, d, tc.runs, tc.minGrowth)
		}
	}
}
