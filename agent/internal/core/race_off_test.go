//go:build !race

package core

// raceShortens is 1 without the race detector.
const raceShortens = 1
