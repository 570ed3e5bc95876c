#!/usr/bin/env bash
# Load test of heimnetz's HTTP server with wrk, side by side with Debian's
# prometheus-node-exporter.
#
#   scripts/load/run.sh [BASE_URL]
#
# Without BASE_URL it builds the agent (go build ./agent), starts it on a
# free loopback port with a temporary data dir and measures that. If the
# agent does not build, it measures the web package's in-memory test
# backend instead (a compiled test binary running TestServeForLoad) and
# says so. It then runs wrk against /metrics, / and /api/v1/plugins at each
# connection count in CONNS, for DURATION each, and the same wrk settings
# against node exporter's /metrics, and prints requests/s, p50/p99 latency,
# errors, the agent's RSS and the /metrics ratio.
#
# Environment: DURATION (10s), CONNS ("100 1000"), THREADS (2),
# KEEP_LOGS=1 keeps the temporary directory. Only processes this script
# started are stopped.
set -euo pipefail

DURATION=${DURATION:-10s}
CONNS=${CONNS:-"100 1000"}
THREADS=${THREADS:-2}
repo=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
pids=()

cleanup() {
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	if [[ -z ${KEEP_LOGS:-} ]]; then rm -rf "$tmp"; else echo "logs kept in $tmp"; fi
}
trap cleanup EXIT

die() { echo "load: $*" >&2; exit 1; }

# Raise the open-file limit for 1000+ connections on both ends.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

command -v wrk >/dev/null || {
	[[ $(id -u) == 0 ]] && apt-get install -y wrk >/dev/null || die "wrk not installed (apt-get install wrk)"
}
if ! command -v prometheus-node-exporter >/dev/null; then
	[[ $(id -u) == 0 ]] && apt-get install -y prometheus-node-exporter >/dev/null ||
		die "prometheus-node-exporter not installed (apt-get install prometheus-node-exporter)"
fi

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_healthy() { # URL PID
	for _ in $(seq 1 200); do
		if curl -fsS -o /dev/null "$1" 2>/dev/null; then return 0; fi
		kill -0 "$2" 2>/dev/null || die "process $2 exited before serving $1"
		sleep 0.05
	done
	die "$1 did not answer within 10 s"
}

target_pid=""
target_kind="given URL"
if [[ $# -ge 1 ]]; then
	base=${1%/}
else
	port=$(free_port)
	base="http://127.0.0.1:$port"
	if (cd "$repo" && go build -o "$tmp/heimnetz" ./agent) 2>"$tmp/build.log"; then
		# wrk connects from one address; let it use every connection (the
		# default leaves half of them to other addresses).
		echo '{"max_connections_per_ip": 1024}' >"$tmp/config.json"
		"$tmp/heimnetz" run --listen "127.0.0.1:$port" --data "$tmp/data" --config "$tmp/config.json" >"$tmp/agent.log" 2>&1 &
		target_pid=$!
		target_kind="agent (bin heimnetz run)"
	else
		echo "load: go build ./agent failed (see below); measuring the web package's test backend instead" >&2
		head -5 "$tmp/build.log" >&2
		(cd "$repo" && go test -c -o "$tmp/web.test" ./web) || die "cannot build the web test binary"
		HEIMNETZ_LOAD_ADDR="127.0.0.1:$port" "$tmp/web.test" -test.run '^TestServeForLoad$' -test.v >"$tmp/agent.log" 2>&1 &
		target_pid=$!
		target_kind="web test backend (agent did not build)"
	fi
	pids+=("$target_pid")
	wait_healthy "$base/healthz" "$target_pid"
fi
curl -fsS -o /dev/null "$base/healthz" || die "$base/healthz does not answer"

ne_port=$(free_port)
# --web.max-requests=0: no cap on parallel scrapes (the default, 40, answers
# most of 100+ connections with 503), so both servers do the same work.
prometheus-node-exporter --web.listen-address="127.0.0.1:$ne_port" --web.max-requests=0 >"$tmp/node-exporter.log" 2>&1 &
ne_pid=$!
pids+=("$ne_pid")
wait_healthy "http://127.0.0.1:$ne_port/metrics" "$ne_pid"

# to_ms converts wrk's latency ("812.00us", "1.23ms", "2.01s") to ms.
to_ms() {
	awk -v v="$1" 'BEGIN {
		n = v + 0
		if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n *= 1000
		printf "%.3f", n }'
}

rss_kb() { [[ -n $target_pid ]] && awk '/^VmRSS/ {print $2}' "/proc/$target_pid/status" 2>/dev/null || echo "-"; }

# wait_drained waits (up to 30 s) until heimnetz has finished the previous
# run's requests: handlers still running for connections wrk already closed
# count against the per-address connection limit and would turn the next
# run's connections away.
wait_drained() {
	local n
	for _ in $(seq 1 300); do
		n=$(curl -fsS "$base/metrics" 2>/dev/null | awk '$1 == "heimnetz_server_active_connections" {print $2}')
		[[ -n $n && $n -le 2 ]] && return 0
		sleep 0.1
	done
	echo "load: heimnetz still has ${n:-?} connections open after 30 s" >&2
}

declare -A rps
printf '%-44s %6s %11s %9s %9s %8s %10s\n' "target" "conns" "req/s" "p50 ms" "p99 ms" "errors" "RSS KiB"
run_wrk() { # NAME URL CONNS
	local out
	wait_drained
	out=$(wrk -t"$THREADS" -c"$3" -d"$DURATION" --timeout 5s --latency "$2" 2>&1) || die "wrk failed: $out"
	local r p50 p99 errs non2xx
	r=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
	p50=$(to_ms "$(awk '$1 == "50%" {print $2}' <<<"$out")")
	p99=$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")
	errs=$(awk '/Socket errors:/ {gsub(",", ""); print $4 + $6 + $8 + $10}' <<<"$out")
	non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $5}' <<<"$out")
	errs=$((${errs:-0} + ${non2xx:-0}))
	local rss="-"
	[[ $1 == heimnetz* ]] && rss=$(rss_kb)
	printf '%-44s %6s %11.0f %9s %9s %8s %10s\n' "$1" "$3" "$r" "$p50" "$p99" "$errs" "$rss"
	rps["$1 $3"]=$r
	echo "$out" >>"$tmp/wrk.log"
}

for c in $CONNS; do
	for path in /metrics / /api/v1/plugins; do
		run_wrk "heimnetz $path" "$base$path" "$c"
	done
	run_wrk "node-exporter /metrics" "http://127.0.0.1:$ne_port/metrics" "$c"
done

echo
echo "target: $target_kind at $base; wrk $THREADS threads, $DURATION per run"
for c in $CONNS; do
	awk -v a="${rps["heimnetz /metrics $c"]}" -v b="${rps["node-exporter /metrics $c"]}" -v c="$c" \
		'BEGIN { if (b > 0) printf "/metrics at %s connections: heimnetz %.0f req/s, node-exporter %.0f req/s, ratio %.1fx\n", c, a, b, a / b }'
done
if [[ -n $target_pid ]]; then
	awk '/^VmHWM/ {printf "heimnetz peak RSS during the run: %d KiB\n", $2}' "/proc/$target_pid/status" 2>/dev/null || true
fi
