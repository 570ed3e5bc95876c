package core

import (
	"testing"

	vm "github.com/VictoriaMetrics/metrics"

	"github.com/heimnetz/heimnetz/agent/internal/config"
	"github.com/heimnetz/heimnetz/board"
	"github.com/heimnetz/heimnetz/store"
)

// BenchmarkEvaluateAlerts is one evaluation of the built-in alerts with
// no transition: the input read from the board (statfs of every mount,
// the routes and the uplink's link) and the evaluation. root "/" is this
// host, the other the fixture router.
func BenchmarkEvaluateAlerts(b *testing.B) {
	for _, root := range []string{fixtureBoard, "/"} {
		b.Run(map[string]string{fixtureBoard: "fixture", "/": "live"}[root], func(b *testing.B) {
			cfg := config.Default()
			cfg.DataDir = b.TempDir()
			db, err := store.Open(cfg.StoreOptions())
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			brd, err := board.New(root)
			if err != nil {
				b.Fatal(err)
			}
			m, err := New(Options{Config: cfg, DB: db, Board: brd, Clock: newFakeClock(), Metrics: vm.NewSet()})
			if err != nil {
				b.Fatal(err)
			}
			m.evaluateAlerts()
			b.ReportAllocs()
			for b.Loop() {
				m.evaluateAlerts()
			}
		})
	}
}
