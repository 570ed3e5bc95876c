package lua

// heimnetz patch: the Lua pattern matcher is metered (see PATCHES.md).

import "github.com/yuin/gopher-lua/pm"

const (
	// matcherStepsPerInstruction is how many pattern-matcher steps cost one
	// VM instruction of the budget (a step is a little cheaper than an
	// instruction).
	matcherStepsPerInstruction = 2

	// matchBytes estimates one stored match (MatchData, its captures, the
	// slice slot).
	matchBytes = 96

	// meteredPatternRecursion bounds the matcher's recursion (one Go stack
	// frame per level) in a metered state; upstream allows 1,000,000.
	meteredPatternRecursion = 1 << 17
)

// patternSearch is one metered pattern search.
type patternSearch struct {
	L     *LState
	held  int64
	hooks pm.Hooks
}

// findPattern runs pm.Find, and in a metered state charges its steps to the
// instruction budget (so Stop and the budget end a backtracking pattern) and
// holds the memory of the matches it stores. The caller must call release
// when the matches are dropped or become reachable from Lua.
func (L *LState) findPattern(pattern string, src []byte, offset, limit int) (*patternSearch, []*pm.MatchData, error) {
	if L.meter == nil {
		mds, err := pm.Find(pattern, src, offset, limit)
		return nil, mds, err
	}
	s := &patternSearch{L: L}
	m := L.meter
	s.hooks = pm.Hooks{
		Step: func(n int) {
			m.steps(int64(n)/matcherStepsPerInstruction + 1)
		},
		Match: func() {
			m.hold(matchBytes)
			s.held += matchBytes
		},
		MaxRecursion: meteredPatternRecursion,
	}
	mds, err := pm.FindWithHooks(pattern, src, offset, limit, &s.hooks)
	return s, mds, err
}

// release returns the memory held for the matches; a nil search (unmetered
// state) does nothing.
func (s *patternSearch) release() {
	if s != nil && s.held != 0 {
		s.L.meter.release(s.held)
		s.held = 0
	}
}

// keep turns the held match memory into a charge of values reachable from
// Lua (gmatch's iterator state), which Recount counts from then on.
func (s *patternSearch) keep() {
	if s == nil || s.held == 0 {
		return
	}
	n := s.held
	s.release()
	s.L.meter.chargeLive(n)
}
