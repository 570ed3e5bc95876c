package board

import (
	"errors"
	"math"
	"testing"
)

func TestCPUUsage(t *testing.T) {
	prev := CPUTimes{Name: "cpu0", User: 100, Nice: 10, System: 50, Idle: 1000, IOWait: 20, IRQ: 5, SoftIRQ: 5, Steal: 0, Guest: 30}
	tests := []struct {
		name    string
		cur     CPUTimes
		want    Utilisation
		wantErr error
	}{
		{
			name: "mixed",
			cur:  CPUTimes{Name: "cpu0", User: 160, Nice: 10, System: 70, Idle: 1100, IOWait: 30, IRQ: 5, SoftIRQ: 15, Guest: 90},
			want: Utilisation{Busy: 0.45, User: 0.3, System: 0.1, Idle: 0.5, IOWait: 0.05, SoftIRQ: 0.05},
		},
		{
			name: "all idle",
			cur:  CPUTimes{Name: "cpu0", User: 100, Nice: 10, System: 50, Idle: 1400, IOWait: 20, IRQ: 5, SoftIRQ: 5, Guest: 30},
			want: Utilisation{Idle: 1},
		},
		{
			name: "iowait went down",
			cur:  CPUTimes{Name: "cpu0", User: 200, Nice: 10, System: 50, Idle: 1100, IOWait: 10, IRQ: 5, SoftIRQ: 5, Guest: 30},
			want: Utilisation{Busy: 0.5, User: 0.5, Idle: 0.5},
		},
		{name: "no time passed", cur: prev, wantErr: ErrNoProgress},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CPUUsage(prev, tt.cur)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("error = %v, want %v", err, tt.wantErr)
			}
			if !closeUtilisation(got, tt.want) {
				t.Fatalf("CPUUsage = %+v,\nwant %+v", got, tt.want)
			}
			if err == nil {
				sum := got.User + got.Nice + got.System + got.Idle + got.IOWait + got.IRQ + got.SoftIRQ + got.Steal
				if math.Abs(sum-1) > 1e-9 || math.Abs(got.Busy+got.Idle+got.IOWait-1) > 1e-9 {
					t.Fatalf("fractions do not add up: %+v", got)
				}
			}
		})
	}
}

func TestCPUUsageMismatch(t *testing.T) {
	_, err := CPUUsage(CPUTimes{Name: "cpu0"}, CPUTimes{Name: "cpu1", Idle: 5})
	if err == nil {
		t.Fatal("samples of different CPUs accepted")
	}
}

func closeUtilisation(a, b Utilisation) bool {
	x := []float64{a.Busy, a.User, a.Nice, a.System, a.Idle, a.IOWait, a.IRQ, a.SoftIRQ, a.Steal}
	y := []float64{b.Busy, b.User, b.Nice, b.System, b.Idle, b.IOWait, b.IRQ, b.SoftIRQ, b.Steal}
	for i := range x {
		if math.Abs(x[i]-y[i]) > 1e-9 {
			return false
		}
	}
	return true
}
