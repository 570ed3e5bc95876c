package alerts

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// scenario is one testdata file: inputs evaluated in order, each with the
// transitions and firing alerts it must give.
type scenario struct {
	// Hold and ClockHold replace the defaults when set ("30s").
	Hold      string `json:"hold"`
	ClockHold string `json:"clock_hold"`
	Steps     []struct {
		// At is the step's time after the scenario's start ("90s").
		At    string `json:"at"`
		Input Input  `json:"input"`
		// Transitions are "<state> <Name>[/<plugin>] <severity>".
		Transitions []string `json:"transitions"`
		// Firing are "<Name>[/<plugin>]".
		Firing []string `json:"firing"`
		// Pending, when given, are the pending alerts the same way.
		Pending []string `json:"pending"`
	} `json:"steps"`
}

func alertID(s Status) string {
	if s.Plugin != "" {
		return s.Name + "/" + s.Plugin
	}
	return s.Name
}

// TestScenarios runs every testdata/*.json scenario.
func TestScenarios(t *testing.T) {
	files, err := filepath.Glob("testdata/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scenarios: %v", err)
	}
	start := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".json"), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var sc scenario
			dec := json.NewDecoder(strings.NewReader(string(data)))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&sc); err != nil {
				t.Fatal(err)
			}
			th := DefaultThresholds()
			if sc.Hold != "" {
				th.Hold = mustDuration(t, sc.Hold)
			}
			if sc.ClockHold != "" {
				th.ClockHold = mustDuration(t, sc.ClockHold)
			}
			if err := th.Validate(); err != nil {
				t.Fatal(err)
			}
			e := New(th)
			for i, step := range sc.Steps {
				in := step.Input
				in.Time = start.Add(mustDuration(t, step.At))
				if in.Clock != nil && in.Clock.Now.IsZero() {
					in.Clock.Now = in.Time
				}
				var got []string
				for _, tr := range e.Evaluate(in) {
					got = append(got, string(tr.State)+" "+alertID(tr.Status)+" "+tr.Severity)
					if tr.Summary == "" {
						t.Errorf("step %d (%s): transition %s has no summary", i, step.At, alertID(tr.Status))
					}
				}
				if !slices.Equal(got, step.Transitions) {
					t.Errorf("step %d (%s): transitions %q, want %q", i, step.At, got, step.Transitions)
				}
				var firing, pending []string
				for _, s := range e.Statuses() {
					switch s.State {
					case Firing:
						firing = append(firing, alertID(s))
					case Pending:
						pending = append(pending, alertID(s))
					}
				}
				if !slices.Equal(firing, step.Firing) {
					t.Errorf("step %d (%s): firing %q, want %q", i, step.At, firing, step.Firing)
				}
				if step.Pending != nil && !slices.Equal(pending, step.Pending) && !(len(pending) == 0 && len(step.Pending) == 0) {
					t.Errorf("step %d (%s): pending %q, want %q", i, step.At, pending, step.Pending)
				}
			}
		})
	}
}

func mustDuration(t *testing.T, s string) time.Duration {
	t.Helper()
	d, err := time.ParseDuration(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestStatusesListAgentAlerts: before anything fires, every agent-wide
// alert is listed as inactive, and no plugin's.
func TestStatusesListAgentAlerts(t *testing.T) {
	e := New(DefaultThresholds())
	e.Evaluate(Input{Time: time.Unix(1e9, 0), Plugins: []Plugin{{Name: "p"}}})
	var names []string
	for _, s := range e.Statuses() {
		if s.State != Inactive || s.Plugin != "" {
			t.Errorf("%+v: want inactive and agent-wide", s)
		}
		names = append(names, s.Name)
	}
	want := []string{StoreWriteFailing, WANDown, AgentMemoryHigh, ClockNotSynchronised, FlashNearlyFull, WANLossy}
	if !slices.Equal(names, want) {
		t.Errorf("listed %q, want %q", names, want)
	}
}

// TestThresholdsValidate names the field of each bad value.
func TestThresholdsValidate(t *testing.T) {
	if err := DefaultThresholds().Validate(); err != nil {
		t.Fatalf("defaults: %v", err)
	}
	for _, c := range []struct {
		field string
		bad   func(*Thresholds)
	}{
		{"evaluate_interval", func(t *Thresholds) { t.EvaluateInterval = 0 }},
		{"hold", func(t *Thresholds) { t.Hold = -time.Second }},
		{"clock_hold", func(t *Thresholds) { t.ClockHold = 48 * time.Hour }},
		{"breaks_window", func(t *Thresholds) { t.BreaksWindow = time.Second }},
		{"breaks_count", func(t *Thresholds) { t.BreaksCount = 0 }},
		{"flash_used_percent", func(t *Thresholds) { t.FlashUsedPercent = 101 }},
		{"memory_warning_percent", func(t *Thresholds) { t.MemoryWarningPercent = 0 }},
		{"memory_critical_percent", func(t *Thresholds) { t.MemoryCriticalPercent = 70 }},
		{"wan_loss_percent", func(t *Thresholds) { t.WANLossPercent = -5 }},
	} {
		th := DefaultThresholds()
		c.bad(&th)
		err := th.Validate()
		if err == nil || !strings.Contains(err.Error(), "alerts."+c.field+":") {
			t.Errorf("%s: error %v, want one naming alerts.%s", c.field, err, c.field)
		}
	}
}

// TestFlashUsedPercent counts the root reserve as used, as df does.
func TestFlashUsedPercent(t *testing.T) {
	for _, c := range []struct {
		f    Flash
		want float64
	}{
		{Flash{Size: 100, Free: 100, Avail: 100}, 0},
		{Flash{Size: 100, Free: 10, Avail: 10}, 90},
		{Flash{Size: 100, Free: 10, Avail: 0}, 100},
		{Flash{Size: 0}, 0},
		{Flash{Size: 10, Free: 20}, 0},
	} {
		if got := c.f.UsedPercent(); got != c.want {
			t.Errorf("%+v: %g, want %g", c.f, got, c.want)
		}
	}
}
