package luaplugins

import (
	"slices"
	"testing"

	lua "github.com/yuin/gopher-lua"

	"github.com/heimnetz/heimnetz/limits"
)

// TestClosedLibrariesComplete: every global a full gopher-lua state has
// and the sandbox lacks is listed in ClosedLibraries or RemovedGlobals,
// the lists the static checker reads; so a library gopher-lua adds (as it
// once added channel) cannot pass `plugin check` unflagged.
func TestClosedLibrariesComplete(t *testing.T) {
	full := lua.NewState()
	defer full.Close()
	sb, _ := newSandbox(limits.Defaults())
	defer sb.Close()
	listed := append(ClosedLibraries(), RemovedGlobals()...)
	n := 0
	full.G.Global.ForEach(func(k, _ lua.LValue) {
		name, ok := k.(lua.LString)
		if !ok || sb.G.Global.RawGetString(string(name)) != lua.LNil {
			return
		}
		n++
		if !slices.Contains(listed, string(name)) {
			t.Errorf("global %s is in gopher-lua but not in the sandbox, and neither ClosedLibraries nor RemovedGlobals lists it", name)
		}
	})
	if !slices.Contains(ClosedLibraries(), "channel") || n < 5 {
		t.Errorf("closed libraries %v, %d globals left out", ClosedLibraries(), n)
	}
}
