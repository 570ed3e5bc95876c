//go:build race

package core

// raceShortens is how much shorter single-goroutine compute tests run
// under the race detector, which slows them 5-20x and has nothing to find
// in them that the full run in make test-go does not already cover.
const raceShortens = 10
