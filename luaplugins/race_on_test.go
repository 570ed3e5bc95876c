//go:build race

package luaplugins

// raceSlowdown is how much slower the race detector makes the Go loops
// whose timing some tests bound (its documentation: 2-20x).
const raceSlowdown = 10
