//go:build !race

package luaplugins

// raceSlowdown is 1 without the race detector.
const raceSlowdown = 1
