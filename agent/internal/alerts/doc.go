// Package alerts evaluates the agent's fixed set of built-in alert
// conditions. It has one job: turn a snapshot of what the agent knows
// (Input: plugin states and breaks, leak reports, the agent's memory, the
// store's failures, flash use, the WAN, the clock) into alert states,
// remembering across evaluations when each alert started and whether it is
// still pending its hold, and returning each change (a Transition) exactly
// once.
//
// The package reads nothing itself: the agent's core gathers the Input on
// its clock and turns transitions into events and metrics. An Evaluator is
// not safe for concurrent use; its caller serialises evaluations.
package alerts
