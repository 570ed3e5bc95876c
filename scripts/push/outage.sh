#!/usr/bin/env bash
# outage.sh runs the push test against VictoriaMetrics (Debian package
# victoria-metrics) with a longer outage than `make test` uses: two agents
# push every second, VictoriaMetrics is stopped for OUTAGE (default 60s,
# the issue's minute) and restarted on the same port and storage. The test
# asserts that the 4 MiB queue fills the gap (samples stamped inside the
# outage arrive), that the 16 KiB queue drops and counts, and that neither
# queue passes its bound; its log lines give the numbers.
#
#   scripts/push/outage.sh [OUTAGE]
#
# Takes about OUTAGE plus 30 s to 2×OUTAGE (the back-off's next retry).
set -euo pipefail
cd "$(dirname "$0")/../.."
outage=${1:-60s}
HEIMNETZ_PUSH_OUTAGE=$outage exec go test -count=1 -timeout 10m -v -run '^TestPushToVictoriaMetrics$' ./agent/
