package alerts

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// FuzzEvaluate feeds a sequence of inputs (a JSON array, 15 s apart, the
// scenario files' inputs as seeds) to an evaluator and checks what must
// hold whatever the agent reads: no panic; at most one transition per
// alert per evaluation; a transition's state is what Statuses then says;
// every firing alert has a summary and a known severity.
func FuzzEvaluate(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.json")
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		var sc struct {
			Steps []struct {
				Input json.RawMessage `json:"input"`
			} `json:"steps"`
		}
		if err := json.Unmarshal(data, &sc); err != nil {
			f.Fatal(err)
		}
		var ins []json.RawMessage
		for _, s := range sc.Steps {
			ins = append(ins, s.Input)
		}
		seed, _ := json.Marshal(ins)
		f.Add(seed, int64(15))
	}
	f.Fuzz(func(t *testing.T, data []byte, stepSeconds int64) {
		var ins []Input
		if json.Unmarshal(data, &ins) != nil || len(ins) > 64 {
			return
		}
		th := DefaultThresholds()
		th.Hold, th.ClockHold = 30*time.Second, 45*time.Second
		e := New(th)
		now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
		step := time.Duration(stepSeconds%3600) * time.Second
		for i, in := range ins {
			now = now.Add(step)
			in.Time = now
			trans := e.Evaluate(in)
			sts := map[string]Status{}
			for _, s := range e.Statuses() {
				sts[s.Name+"/"+s.Plugin] = s
				if s.State == Firing && (s.Summary == "" || (s.Severity != Warning && s.Severity != Critical)) {
					t.Fatalf("input %d: firing %+v without summary or severity", i, s)
				}
			}
			seen := map[string]bool{}
			for _, tr := range trans {
				id := tr.Name + "/" + tr.Plugin
				if seen[id] {
					t.Fatalf("input %d: two transitions of %s", i, id)
				}
				seen[id] = true
				if tr.Plugin != "" && tr.State == Resolved {
					continue // a gone plugin's alert is dropped once resolved
				}
				if s, ok := sts[id]; !ok || s.State != tr.State || s.Severity != tr.Severity {
					t.Fatalf("input %d: transition %+v, status %+v", i, tr, s)
				}
			}
		}
	})
}
