// Package monitoring holds what an owner loads into the home Prometheus
// and Grafana — heimnetz.rules.yml (alerting rules, unit-tested by
// heimnetz.rules.test.yml) and grafana-dashboard.json — and their tests:
// promtool checks and unit-tests the rules, and a real Prometheus scrapes
// a running agent on the MT7621 router fixture, loads the rules, and
// answers every panel query of the dashboard with data. The tests need
// Debian's prometheus package (scripts/deps.sh installs it); without it
// they skip, except under CI=true, where they fail.
package monitoring
