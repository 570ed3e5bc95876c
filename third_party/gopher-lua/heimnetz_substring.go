package lua

// heimnetz patch: substrings do not keep their parent alive (see PATCHES.md,
// section 11).

import "strings"

// substring returns str[i:j] as a Lua string. In a metered state a proper
// substring is a copy: a Go slice would keep the whole parent alive while
// the meter, which counts a string by its own length, charges only the
// slice, so a plugin could keep megabytes through a few short captures.
// Copying costs no more than the charge the result gets anyway.
func (ls *LState) substring(str string, i, j int) LString {
	return ls.ownString(str[i:j], len(str))
}

// ownString returns sub, a slice of a string of parentLen bytes, as a Lua
// string that does not share the parent's memory when the state is metered.
func (ls *LState) ownString(sub string, parentLen int) LString {
	if ls.meter == nil || len(sub) == parentLen || len(sub) == 0 {
		return LString(sub)
	}
	ls.meter.workCopy(len(sub))
	return LString(strings.Clone(sub))
}
