package core

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	"github.com/VictoriaMetrics/metrics"

	"github.com/heimnetz/heimnetz/limits/oneline"
	"github.com/heimnetz/heimnetz/store"
)

// TestSecurityEventTextIsBoundedAndClean records events whose plugin name
// and message a plugin or a client controls: the agent's log line and the
// stored event must each be one bounded, clean line.
func TestSecurityEventTextIsBoundedAndClean(t *testing.T) {
	db, err := store.Open(store.DefaultOptions(t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var logBuf bytes.Buffer
	s := &securityLog{db: db, set: metrics.NewSet(), log: slog.New(slog.NewTextHandler(&logBuf, nil))}
	msgs := []string{
		"kv quota: bad kv key: " + strings.Repeat("\xff", 7_500_000),
		"one\u0085two\u2028three\u2029four\x85five",
		"invoice\u202efdp.exe \u2066isolated\u2069 \u200fmark",
	}
	for _, m := range msgs {
		s.record(EvOutputLimit, store.Info, "net\u202e", m)
	}
	evs, err := db.Events(len(msgs), 0)
	if err != nil || len(evs) != len(msgs) {
		t.Fatalf("events: %d, %v", len(evs), err)
	}
	for _, e := range evs {
		for what, v := range map[string]string{"message": e.Message, "plugin": e.Plugin} {
			if len(v) > store.MaxEventMessage {
				t.Errorf("event %s is %d bytes", what, len(v))
			}
			if at, r := oneline.Find(v); at >= 0 {
				t.Errorf("event %s holds %U: %.80q", what, r, v)
			}
		}
	}
	if n := strings.Count(logBuf.String(), "\n"); n != len(msgs) || logBuf.Len() > len(msgs)*(store.MaxEventMessage+300) {
		t.Errorf("agent log: %d lines, %d bytes for %d events", n, logBuf.Len(), len(msgs))
	}
	if at, r := oneline.Find(strings.ReplaceAll(logBuf.String(), "\n", "")); at >= 0 {
		t.Errorf("agent log holds %U", r)
	}
}
