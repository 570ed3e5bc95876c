package lua

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// backtracking patterns on a 100 KB subject: without metering each runs for
// a very long time in one call.
var patternBombs = []struct {
	name string
	src  string
}{
	{"find .-.-.-b", `return string.find(string.rep("a", 100000), ".-.-.-.-b")`},
	{"match a*a*a*b", `return string.match(string.rep("a", 100000), "a*a*a*a*b")`},
	{"gsub .-.-b", `return string.gsub(string.rep("a", 100000), ".-.-.-b", "x")`},
	{"gmatch .-.-b", `for w in string.gmatch(string.rep("a", 100000), ".-.-.-b") do end`},
	{"balanced %b on open brackets", `return string.find(string.rep("(", 100000), "%b()")`},
	{"back reference", `return string.find(string.rep("a", 100000), "(a*)%1b")`},
}

func TestMeterPatternInstructionLimit(t *testing.T) {
	for _, tc := range patternBombs {
		t.Run(tc.name, func(t *testing.T) {
			L, m := newMeteredState(t, 10000000)
			start := time.Now()
			err := runChunk(L, tc.src)
			if !errors.Is(err, ErrInstructionLimit) {
				t.Fatalf("err = %v, want ErrInstructionLimit", err)
			}
			if m.Used() != 10000000 {
				t.Fatalf("Used() = %d", m.Used())
			}
			t.Logf("stopped after %v", time.Since(start))
		})
	}
}

func TestMeterPatternStop(t *testing.T) {
	errTimeout := errors.New("time limit exceeded")
	for _, tc := range patternBombs {
		t.Run(tc.name, func(t *testing.T) {
			L, m := newMeteredState(t, 0)
			timer := time.AfterFunc(20*time.Millisecond, func() { m.Stop(errTimeout) })
			defer timer.Stop()
			if err := runChunk(L, tc.src); !errors.Is(err, errTimeout) {
				t.Fatalf("err = %v, want the Stop error", err)
			}
		})
	}
}

func TestMeterPatternMatchesAreCharged(t *testing.T) {
	// A million one-byte matches collected before gsub builds its result.
	err, growth := runBomb(t, `return string.gsub(string.rep("x", 4e6), "x", "")`, 8*mib)
	if !errors.Is(err, ErrMemoryLimit) {
		t.Fatalf("err = %v, want ErrMemoryLimit", err)
	}
	if growth > heapGrowthLimit {
		t.Fatalf("Go heap grew by %d MiB", growth/mib)
	}
	err, _ = runBomb(t, `local its = {} for i = 1, 100 do its[i] = string.gmatch(string.rep("x", 1e5), "x") end`, 8*mib)
	if !errors.Is(err, ErrMemoryLimit) {
		t.Fatalf("gmatch: err = %v, want ErrMemoryLimit", err)
	}
}

func TestMeterPatternsStillWork(t *testing.T) {
	L, m := newMeteredState(t, 1000000)
	m.SetMemoryLimit(8 * mib)
	src := `local n = 0 for w in string.gmatch("one two three", "%a+") do n = n + #w end
		local a, b = string.find("hello world", "o w")
		local c = string.match("key=value", "(%w+)=(%w+)")
		local d, k = string.gsub("a,b,,c", ",", ";")
		return n .. " " .. a .. " " .. b .. " " .. c .. " " .. d .. " " .. k`
	if err := runChunk(L, src); err != nil {
		t.Fatal(err)
	}
	if got := L.Get(1).String(); got != "11 5 7 key a;b;;c 3" {
		t.Fatalf("got %q", got)
	}
	if m.Held() != 0 {
		t.Fatalf("Held() = %d after the builtins returned", m.Held())
	}
}

func TestMeterPatternRecursionBounded(t *testing.T) {
	L, _ := newMeteredState(t, 0)
	err := runChunk(L, `return string.find(string.rep("a", 200000), "a*$")`)
	if err == nil || !strings.Contains(err.Error(), "pattern/input too complex") {
		t.Fatalf("err = %v, want pattern/input too complex", err)
	}
	if err := runChunk(L, `return select(2, string.find(string.rep("a", 100000), "a*$"))`); err != nil {
		t.Fatal(err)
	}
	if got := L.Get(-1); got != LNumber(100000) {
		t.Fatalf("got %v", got)
	}
}
