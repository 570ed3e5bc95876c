package luaplugins

import (
	"errors"
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"

	"github.com/heimnetz/heimnetz/limits"
)

// TestHostCallsEndAStoppedCall: a stop that arrives while a host
// function waits (the wall-time timer firing during a slow commit) ends
// the call when that function returns. Before, the VM noticed it only at
// its next 1024-instruction check: a loop of slow host calls ran some
// 200 more of them (a 100 ms limit with 2 ms calls ended after 479 ms).
func TestHostCallsEndAStoppedCall(t *testing.T) {
	errLate := errors.New("time limit exceeded (test)")
	calls := 0
	reg := NewRegistry()
	reg.modules = append(reg.modules, Module{Name: "slow", Permission: "slow", Funcs: []Func{{
		Name: "wait",
		New: func(*Host) lua.LGFunction {
			return func(L *lua.LState) int {
				calls++
				if calls == 3 {
					L.Meter().Stop(errLate) // as the timer would, mid-wait
				}
				return 0
			}
		},
	}}})
	for _, c := range []struct {
		name, code string
	}{
		{"loop", "function collect() while true do slow.wait() end end"},
		{"pcall", "function collect() while true do pcall(slow.wait) end end"},
		{"coroutine", "function collect() local co = coroutine.wrap(function() while true do slow.wait() end end) co() end"},
	} {
		t.Run(c.name, func(t *testing.T) {
			calls = 0
			lim := limits.Defaults()
			src := &Source{Main: []byte(c.code), Manifest: &Manifest{Name: "slow", Version: "1.0.0", Permissions: []string{"slow"}, Limits: lim}}
			p, _, err := Load(src, Env{Registry: reg, RequireCollect: true})
			if err != nil {
				t.Fatal(err)
			}
			defer p.Close()
			_, err = p.Collect()
			if err == nil || !strings.Contains(err.Error(), errLate.Error()) {
				t.Fatalf("Collect() = %v, want the stop's error", err)
			}
			if calls != 3 {
				t.Errorf("%d host calls, want 3: the call must end when the host call that saw the stop returns", calls)
			}
		})
	}
}
