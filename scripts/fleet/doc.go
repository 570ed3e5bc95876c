// Command fleet runs a fleet of heimnetz agents on one machine against one
// VictoriaMetrics and one Prometheus, and reports whether every agent's
// series arrived in both, the agents' total RSS, the ingest rates and the
// scrape durations (issue 16, point 5; `make fleet`, not part of make
// test):
//
//	go run ./scripts/fleet -n 50 -duration 60s
//
// It builds the agent (or takes -bin), starts victoria-metrics and
// prometheus (Debian packages) and N agents, each with its own temporary
// data dir and free loopback port, every bundled plugin at -interval, and
// a push section that sends its metrics to VictoriaMetrics with the labels
// instance=agent-NN and site=fleet; Prometheus scrapes the same agents
// from a file_sd target list that gives them the same labels. After
// -duration it queries both, prints a table per agent and a summary, and
// stops everything it started, by PID, also when it fails or is
// interrupted (the agents also get SIGTERM should this program die). It
// exits 1 when an agent's series are missing from either store.
//
// Everything listens on 127.0.0.1 only.
package main
