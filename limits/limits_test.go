package limits

import (
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestParseSize(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		err  bool
	}{
		{"4MiB", 4 << 20, false},
		{"512 KiB", 512 << 10, false},
		{"1.5MiB", 3 << 19, false},
		{"65536", 65536, false},
		{"2GB", 2e9, false},
		{"10kB", 10000, false},
		{"", 0, true},
		{"-1MiB", 0, true},
		{"0", 0, true},
		{"MiB", 0, true},
		{"4 furlongs", 0, true},
		{"1e30GiB", 0, true},
		{"NaN", 0, true},
		{"0.1", 0, true},
	}
	for _, tt := range tests {
		got, err := ParseSize(tt.in)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d, err=%v", tt.in, got, err, tt.want, tt.err)
		}
	}
}

func TestParseOthers(t *testing.T) {
	if d, err := ParseDuration("500ms"); err != nil || d != 500*time.Millisecond {
		t.Errorf("ParseDuration(500ms) = %v, %v", d, err)
	}
	for _, bad := range []string{"", "0s", "-1s", "fast"} {
		if _, err := ParseDuration(bad); err == nil {
			t.Errorf("ParseDuration(%q) accepted", bad)
		}
	}
	if f, err := ParsePercent("2.5%"); err != nil || f != 0.025 {
		t.Errorf("ParsePercent(2.5%%) = %v, %v", f, err)
	}
	for _, bad := range []string{"10", "0%", "101%", "x%", "%"} {
		if _, err := ParsePercent(bad); err == nil {
			t.Errorf("ParsePercent(%q) accepted", bad)
		}
	}
	if n, err := ParseCount("5_000_000"); err != nil || n != 5e6 {
		t.Errorf("ParseCount = %d, %v", n, err)
	}
	for _, bad := range []string{"", "0", "-5", "1.5", "9223372036854775808"} {
		if _, err := ParseCount(bad); err == nil {
			t.Errorf("ParseCount(%q) accepted", bad)
		}
	}
}

func TestSetAndWithin(t *testing.T) {
	l := Defaults()
	for k, v := range map[string]string{"instructions": "50000000", "memory": "16MiB", "timeout": "5s", "cpu": "50%", "depth": "150"} {
		if err := l.Set(k, v); err != nil {
			t.Fatalf("Set(%s, %s): %v", k, v, err)
		}
	}
	if l.Instructions != 5e7 || l.Memory != 16<<20 || l.Timeout != 5*time.Second || l.CPU != 0.5 || l.Depth != 150 {
		t.Fatalf("Set gave %+v", l)
	}
	if err := l.Within(Ceilings()); err != nil {
		t.Errorf("within ceilings: %v", err)
	}
	l.Memory = 64 << 20
	if err := l.Within(Ceilings()); err == nil || !strings.Contains(err.Error(), "limit memory: 64 MiB is above the ceiling of 32 MiB") {
		t.Errorf("Within = %v", err)
	}
	if err := l.Set("bogus", "1"); err == nil || !strings.Contains(err.Error(), `unknown limit "bogus"`) {
		t.Errorf("Set(bogus) = %v", err)
	}
	if err := l.Set("memory", "1KiB"); err == nil || !strings.Contains(err.Error(), "below the minimum") {
		t.Errorf("Set(memory, 1KiB) = %v", err)
	}
}

func TestViolationText(t *testing.T) {
	tests := []struct {
		v    Violation
		want string
	}{
		{Violation{Plugin: "x", Kind: ErrInstructions, Limit: "1000000"}, `plugin "x": instruction limit exceeded (1000000)`},
		{Violation{Plugin: "x", Kind: ErrMemory, Limit: FormatSize(4 << 20)}, `plugin "x": memory limit exceeded (4 MiB)`},
		{Violation{Plugin: "x", Kind: ErrTimeout, Limit: (2 * time.Second).String()}, `plugin "x": time limit exceeded (2s)`},
		{Violation{Kind: ErrMemory, Limit: "8 MiB", Detail: "string.rep"}, `memory limit exceeded (8 MiB) in string.rep`},
	}
	for _, tt := range tests {
		if got := tt.v.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
		if !errors.Is(&tt.v, tt.v.Kind) || errors.Is(&tt.v, ErrDepth) {
			t.Errorf("errors.Is mismatch for %q", tt.want)
		}
	}
}

func TestCPUShare(t *testing.T) {
	t0 := time.Unix(1000, 0)
	c := NewCPUShare(0.10, time.Minute, t0)
	if _, err := c.Allow(t0); err != nil {
		t.Fatalf("fresh bucket throttled: %v", err)
	}
	// 6 s of CPU empties a 10 %-of-a-minute bucket; one more second puts it in debt.
	c.Charge(t0, 7*time.Second)
	wait, err := c.Allow(t0)
	if !errors.Is(err, ErrCPU) {
		t.Fatalf("over-share plugin allowed: %v", err)
	}
	if wait < 9*time.Second || wait > 11*time.Second {
		t.Errorf("wait = %v, want about 10s (1s of debt at 10%%)", wait)
	}
	if _, err := c.Allow(t0.Add(11 * time.Second)); err != nil {
		t.Errorf("bucket did not refill: %v", err)
	}
	if got := c.Remaining(t0.Add(time.Hour)); got != 6*time.Second {
		t.Errorf("refill not capped: %v", got)
	}
	if c.Used() != 7*time.Second {
		t.Errorf("Used = %v", c.Used())
	}
}

func TestThreadCPUTime(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	a, err := ThreadCPUTime()
	if err != nil {
		t.Skipf("no per-thread CPU time here: %v", err)
	}
	x := 0
	for i := 0; i < 20_000_000; i++ {
		x += i ^ (x >> 3)
	}
	b, _ := ThreadCPUTime()
	if b <= a {
		t.Errorf("thread CPU time did not advance over a busy loop (%v -> %v, x=%d)", a, b, x)
	}
}

func FuzzParseSize(f *testing.F) {
	for _, s := range []string{"4MiB", "1.5 GiB", "12", "-3KB", "1e309B"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseSize(s)
		if err == nil && n <= 0 {
			t.Fatalf("ParseSize(%q) = %d without error", s, n)
		}
	})
}
