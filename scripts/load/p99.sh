#!/usr/bin/env bash
# p99.sh: /metrics against the server's floor (/healthz) under an
# open-loop load, the cost check of issue 15.
#
#   scripts/load/p99.sh
#   ROUNDS=5 RATE=1000 DURATION=10s scripts/load/p99.sh
#
# It builds the agent, starts `heimnetz run` on a free 127.0.0.1 port with
# a fresh data directory and the bundled plugins on (they read this host),
# pinned to one core with taskset, and runs vegeta pinned to another: an
# open-loop attack at RATE requests/s (requests leave on schedule whether
# or not earlier ones have answered, so a slow server shows as latency,
# not as a lower rate) with at most 64 connections, for /healthz and then
# /metrics, alternating which goes first, ROUNDS times. Requests ask for
# gzip, as Prometheus does; the bodies are not decompressed, so the
# latency is the server's. It prints p50 and p99 per run, the median p99
# of each target and their ratio (target: /metrics ≤ 1.5 × /healthz), and
# the size of one scrape in lines and bytes, plain and gzip.
#
# vegeta is installed pinned (v12.13.0) into bin/tools on first use; it is
# a test tool and never part of the router binary.
#
# Environment: GO (go), SRCDIR (the checkout whose agent is measured, by
# default this one; for a before/after comparison), ROUNDS (3), RATE (1000), DURATION (10s per run),
# CONNS (64), AGENT_CPU (0), LOAD_CPU (1), KEEP_LOGS=1 keeps the temporary
# directory. Only processes this script started are stopped.
set -euo pipefail

GO=${GO:-go}
ROUNDS=${ROUNDS:-3}
RATE=${RATE:-1000}
DURATION=${DURATION:-10s}
CONNS=${CONNS:-64}
AGENT_CPU=${AGENT_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}
VEGETA_VERSION=v12.13.0

repo=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
agent_pid=""

cleanup() {
	if [[ -n $agent_pid ]]; then
		kill "$agent_pid" 2>/dev/null || true
		wait "$agent_pid" 2>/dev/null || true
	fi
	if [[ -z ${KEEP_LOGS:-} ]]; then rm -rf "$tmp"; else echo "logs kept in $tmp"; fi
}
trap cleanup EXIT

die() {
	echo "p99: $*" >&2
	exit 1
}

command -v taskset >/dev/null || die "taskset not installed (util-linux)"
command -v jq >/dev/null || die "jq not installed (apt-get install jq)"
[[ $(nproc) -ge 2 ]] || die "needs two cores to keep the agent and the load apart (nproc: $(nproc))"

vegeta=$repo/bin/tools/vegeta
if ! [[ -x $vegeta ]] || ! "$GO" version -m "$vegeta" 2>/dev/null | grep -q "vegeta/v12[[:space:]]*$VEGETA_VERSION"; then
	echo "p99: installing vegeta $VEGETA_VERSION into bin/tools" >&2
	(cd "$repo" && GOBIN=$repo/bin/tools CGO_ENABLED=0 "$GO" install "github.com/tsenart/vegeta/v12@$VEGETA_VERSION") ||
		die "cannot install vegeta"
fi

ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
(cd "${SRCDIR:-$repo}" && CGO_ENABLED=0 "$GO" build -trimpath -o "$tmp/heimnetz" ./agent) || die "go build ./agent failed"
# All load comes from one address: let it have every connection.
echo '{"max_connections_per_ip": 1024}' >"$tmp/config.json"
taskset -c "$AGENT_CPU" "$tmp/heimnetz" run --listen "127.0.0.1:$port" --data "$tmp/data" --config "$tmp/config.json" >"$tmp/agent.log" 2>&1 &
agent_pid=$!
for _ in $(seq 1 200); do
	curl -fsS -o /dev/null "$base/healthz" 2>/dev/null && break
	kill -0 "$agent_pid" 2>/dev/null || die "the agent exited (log: $(tail -3 "$tmp/agent.log"))"
	sleep 0.05
done
curl -fsS -o /dev/null "$base/healthz" || die "$base/healthz does not answer"
# Let every bundled plugin run once before measuring.
sleep 3

curl -fsS "$base/metrics" >"$tmp/metrics.txt"
curl -fsS -H 'Accept-Encoding: gzip' "$base/metrics" >"$tmp/metrics.gz"
lines=$(wc -l <"$tmp/metrics.txt")
bytes=$(wc -c <"$tmp/metrics.txt")
gzbytes=$(wc -c <"$tmp/metrics.gz")
series=$(grep -vc '^#' "$tmp/metrics.txt" || true)

# attack PATH prints "p50_ms p99_ms success rate" of one run.
attack() {
	echo "GET $base$1" |
		taskset -c "$LOAD_CPU" "$vegeta" attack -rate="$RATE" -duration="$DURATION" -max-connections="$CONNS" \
			-timeout=5s -header 'Accept-Encoding: gzip' >"$tmp/run.bin"
	taskset -c "$LOAD_CPU" "$vegeta" report -type=json <"$tmp/run.bin" |
		jq -r '[.latencies["50th"] / 1e6, .latencies["99th"] / 1e6, .success, .rate] | @tsv'
}

declare -a p99_healthz p99_metrics
printf '%-6s %-9s %9s %9s %8s %9s\n' round path "p50 ms" "p99 ms" success "req/s"
for r in $(seq 1 "$ROUNDS"); do
	order="/healthz /metrics"
	((r % 2 == 0)) && order="/metrics /healthz"
	for path in $order; do
		read -r p50 p99 ok rate <<<"$(attack "$path")"
		printf '%-6s %-9s %9.3f %9.3f %8.4f %9.1f\n' "$r" "$path" "$p50" "$p99" "$ok" "$rate"
		if [[ $path == /healthz ]]; then p99_healthz+=("$p99"); else p99_metrics+=("$p99"); fi
	done
done

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
mh=$(median "${p99_healthz[@]}")
mm=$(median "${p99_metrics[@]}")
echo
echo "agent on CPU $AGENT_CPU, vegeta $VEGETA_VERSION on CPU $LOAD_CPU: $RATE req/s open loop, $CONNS connections, $DURATION per run, $ROUNDS rounds"
awk -v h="$mh" -v m="$mm" 'BEGIN { printf "median p99: /healthz %.3f ms, /metrics %.3f ms, ratio %.2fx (target <= 1.5x)\n", h, m, m / h }'
echo "one scrape: $lines lines ($series series), $bytes bytes plain, $gzbytes bytes gzip"
# The agent's own view: heimnetz_server_request_duration_seconds counts
# the time from reading a request to handing its response to the network,
# so a tail that is here is the server's and one that is not is the
# network's or the load generator's.
curl -fsS "$base/metrics" | awk '
	/^heimnetz_server_request_duration_seconds_bucket\{route="(metrics|healthz)"/ {
		match($0, /route="[a-z]+"/); r = substr($0, RSTART + 7, RLENGTH - 8)
		match($0, /le="[^"]+"/); le = substr($0, RSTART + 4, RLENGTH - 5)
		n[r] ++; bound[r, n[r]] = le; count[r, n[r]] = $2
	}
	END {
		for (r in n) {
			total = count[r, n[r]]
			for (i = 1; i <= n[r]; i++) if (count[r, i] >= 0.99 * total) break
			printf "server side, /%s: %d requests, 99 %% within %s s (", r, total, bound[r, i]
			for (i = 1; i <= n[r]; i++) if (bound[r, i] + 0 >= 0.001 && bound[r, i] + 0 <= 0.1 || bound[r, i] == "+Inf") printf " <=%s: %.4f", bound[r, i], count[r, i] / total
			printf " )\n"
		}
	}'
awk '/^VmHWM/ { printf "agent peak RSS: %d KiB\n", $2 }' "/proc/$agent_pid/status" 2>/dev/null || true
