package config

import (
	"fmt"

	"github.com/heimnetz/heimnetz/agent/internal/leak"
)

// Leak sets when the agent flags a plugin as leaking memory: its live
// memory (what a recount finds reachable, not garbage) grows steadily
// over at least Runs runs and by at least MinGrowthBytes in all. UCI: a
// `config leak 'leak'` section with options runs and min_growth_bytes.
type Leak struct {
	Runs           int  `json:"runs"`
	MinGrowthBytes Size `json:"min_growth_bytes"`
}

// defaultLeak is Leak's part of Default.
func defaultLeak() Leak {
	d := leak.DefaultConfig()
	return Leak{Runs: d.Runs, MinGrowthBytes: Size(d.MinGrowth)}
}

// Detector returns the thresholds as the leak package takes them.
func (l Leak) Detector() leak.Config {
	return leak.Config{Runs: l.Runs, MinGrowth: int64(l.MinGrowthBytes)}
}

// Validate reports a threshold out of its bounds, naming it as the config
// file does.
func (l Leak) Validate() error {
	if err := l.Detector().Validate(); err != nil {
		return fmt.Errorf("config leak.%w", err)
	}
	return nil
}
