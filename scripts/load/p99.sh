#!/usr/bin/env bash
# p99.sh: /metrics against the server's floor (/healthz) under an
# open-loop load, the cost check of issue 15, made readable on a busy
# machine.
#
#   scripts/load/p99.sh                       # 6 rounds of 10 s, ~1.5 min
#   ROUNDS=10 RATE=1000 DURATION=10s scripts/load/p99.sh
#
# It builds the agent, starts `heimnetz run` on a free 127.0.0.1 port with
# a fresh data directory and the bundled plugins on (they read this host),
# pinned to one core with taskset, and runs vegeta pinned to another: an
# open-loop attack at RATE requests/s in all (requests leave on schedule
# whether or not earlier ones have answered, so a slow server shows as
# latency, not as a lower rate) with at most CONNS connections. Each round
# is one attack whose requests alternate between /healthz and /metrics,
# so both see the same seconds of the machine (RATE/2 each); a noisy
# neighbour then slows both, and the ratio of their p99s keeps its
# meaning where their absolute values do not. Requests ask for gzip, as
# Prometheus does; bodies are read in full but not decompressed.
#
# Per round it prints, for each route: the client side p50 and p99 (from
# vegeta's results), the server side p99 (the agent's own
# heimnetz_server_request_duration_seconds, the round's difference of its
# buckets, interpolated as histogram_quantile does: the time from reading
# a request to handing the answer to the kernel, which scheduling noise
# on the client's side does not reach); the p99 ratio /metrics : /healthz
# of each side; and how busy the machine was with other work: the share
# of the agent's and the load generator's cores used by anything but the
# agent and vegeta (from /proc/stat less their own CPU time; softirq,
# mostly this test's loopback traffic, is left out), the steal time and
# the load average. At the end: the
# median of every column, the median ratios over all rounds and over the
# quiet rounds (others below QUIET_PCT on both cores, no steal), and the
# size of one scrape. Nothing is asserted: read the quiet rounds, or
# rerun when there are none. Target (issue 15): client-side p99 of
# /metrics at most 1.5x that of /healthz.
#
# vegeta is installed pinned (v12.13.0) into bin/tools on first use; it is
# a test tool and never part of the router binary.
#
# Environment: GO (go), SRCDIR (the checkout whose agent is measured, by
# default this one; for a before/after comparison), ROUNDS (6), RATE
# (1000, both routes together), DURATION (10s per round), CONNS (64),
# AGENT_CPU (0), LOAD_CPU (1), QUIET_PCT (10), KEEP_LOGS=1 keeps the
# temporary directory. Only processes this script started are stopped.
set -euo pipefail

GO=${GO:-go}
ROUNDS=${ROUNDS:-6}
RATE=${RATE:-1000}
DURATION=${DURATION:-10s}
CONNS=${CONNS:-64}
AGENT_CPU=${AGENT_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}
QUIET_PCT=${QUIET_PCT:-10}
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
command -v curl >/dev/null || die "curl not installed"
command -v jq >/dev/null || die "jq not installed (apt-get install jq)"
[[ $(nproc) -ge 2 ]] || die "needs two cores to keep the agent and the load apart (nproc: $(nproc))"
[[ -r /proc/stat ]] || die "needs /proc/stat"

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

# cpu_line CPU prints "busy total steal" jiffies of one CPU ("" for all).
# Busy leaves out softirq, mostly this test's own loopback traffic, which
# the kernel charges to no process.
cpu_line() {
	awk -v c="cpu$1" '$1 == c { busy = $2 + $3 + $4 + $7 + $9; print busy, busy + $5 + $6 + $8, $9 }' /proc/stat
}

# proc_jiffies PID prints the utime+stime of a process.
proc_jiffies() {
	awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"
}

# histogram prints "route le count" for /metrics' and /healthz's latency
# buckets (cumulative, as exposed).
histogram() {
	curl -fsS "$base/metrics" | awk '
		/^heimnetz_server_request_duration_seconds_bucket\{route="(metrics|healthz)"/ {
			match($0, /route="[a-z]+"/); r = substr($0, RSTART + 7, RLENGTH - 8)
			match($0, /le="[^"]+"/); le = substr($0, RSTART + 4, RLENGTH - 5)
			print r, le, $NF
		}'
}

# server_quantile BEFORE AFTER ROUTE Q prints the Q quantile in ms of the
# requests of ROUTE between two histogram snapshots, interpolated
# linearly within its bucket as Prometheus' histogram_quantile does ("-"
# without requests; "<0.1" within the first bucket, ">2500" past the last
# finite bound, and then no ratio is printed).
server_quantile() {
	awk -v route="$3" -v q="$4" '
		FNR == NR { if ($1 == route) before[$2] = $3; next }
		$1 == route { n++; le[n] = $2; c[n] = $3 - before[$2] }
		END {
			if (n == 0 || c[n] <= 0) { print "-"; exit }
			rank = q * c[n]
			for (i = 1; i <= n; i++) if (c[i] >= rank) break
			if (le[i] == "+Inf") { printf ">%g\n", le[n - 1] * 1000; exit }
			if (i == 1) { printf "<%g\n", le[1] * 1000; exit } # no lower bound to interpolate from
			lo = (i == 1) ? 0 : le[i - 1]; below = (i == 1) ? 0 : c[i - 1]
			inb = c[i] - below
			v = (inb > 0) ? lo + (le[i] - lo) * (rank - below) / inb : le[i]
			printf "%.3f\n", v * 1000
		}' "$1" "$2"
}

# client_stats TSV URL prints "p50_ms p99_ms n errors" of one route from
# "url latency_ns code" lines.
client_stats() {
	local errs
	errs=$(awk -F'\t' -v url="$2" '$1 == url && ($3 < 200 || $3 >= 400) { e++ } END { print e + 0 }' "$1")
	awk -F'\t' -v url="$2" '$1 == url { print $2 / 1e6 }' "$1" | sort -g | awk -v errs="$errs" '
		{ v[NR] = $1 }
		END {
			if (NR == 0) { print "- - 0", errs; exit }
			i50 = int(0.50 * NR + 0.999999); i99 = int(0.99 * NR + 0.999999)
			printf "%.3f %.3f %d %d\n", v[i50], v[i99], NR, errs
		}'
}

# ratio M H prints M/H, or "-" when either is not a number.
ratio() { awk -v m="$1" -v h="$2" 'BEGIN { if (m + 0 > 0 && h + 0 > 0 && m !~ /[<>]/ && h !~ /[<>]/) printf "%.2f", m / h; else printf "-" }'; }

TIMEFORMAT='%U %S' # vegeta's own CPU time, from bash's time
hz=$(getconf CLK_TCK)
results=$tmp/results.txt
: >"$results"
printf '%-5s | %-25s | %-25s | %-13s | %-21s\n' "" "/metrics ms" "/healthz ms" "p99 ratio" "others' CPU, steal, load"
printf '%-5s | %8s %8s %7s | %8s %8s %7s | %6s %6s | %5s %5s %4s %5s\n' round p50 p99 srv-p99 p50 p99 srv-p99 client server "cpu$AGENT_CPU" "cpu$LOAD_CPU" steal load1
for r in $(seq 1 "$ROUNDS"); do
	# Alternate which route leads each round; vegeta takes its targets in
	# turn.
	if ((r % 2)); then
		printf 'GET %s/metrics\nGET %s/healthz\n' "$base" "$base" >"$tmp/targets"
	else
		printf 'GET %s/healthz\nGET %s/metrics\n' "$base" "$base" >"$tmp/targets"
	fi
	histogram >"$tmp/h0"
	read -r a0 at0 _ <<<"$(cpu_line "$AGENT_CPU")"
	read -r l0 lt0 _ <<<"$(cpu_line "$LOAD_CPU")"
	read -r _ all0 st0 <<<"$(cpu_line "")"
	ag0=$(proc_jiffies "$agent_pid")
	{ time taskset -c "$LOAD_CPU" "$vegeta" attack -targets="$tmp/targets" -rate="$RATE" -duration="$DURATION" \
		-max-connections="$CONNS" -max-body=0 -timeout=5s -header 'Accept-Encoding: gzip' >"$tmp/run.bin"; } 2>"$tmp/vtime"
	ag1=$(proc_jiffies "$agent_pid")
	read -r a1 at1 _ <<<"$(cpu_line "$AGENT_CPU")"
	read -r l1 lt1 _ <<<"$(cpu_line "$LOAD_CPU")"
	read -r _ all1 st1 <<<"$(cpu_line "")"
	histogram >"$tmp/h1"
	load1=$(cut -d' ' -f1 /proc/loadavg)
	vjiffies=$(awk -v hz="$hz" '{ printf "%d", ($1 + $2) * hz }' "$tmp/vtime")

	"$vegeta" encode --to json <"$tmp/run.bin" | jq -r '[.url, .latency, .code] | @tsv' >"$tmp/run.tsv"
	read -r mp50 mp99 mn merr <<<"$(client_stats "$tmp/run.tsv" "$base/metrics")"
	read -r hp50 hp99 hn herr <<<"$(client_stats "$tmp/run.tsv" "$base/healthz")"
	ms99=$(server_quantile "$tmp/h0" "$tmp/h1" metrics 0.99)
	hs99=$(server_quantile "$tmp/h0" "$tmp/h1" healthz 0.99)
	read -r others_a others_l steal <<<"$(awk -v a=$((a1 - a0)) -v at=$((at1 - at0)) -v ag=$((ag1 - ag0)) \
		-v l=$((l1 - l0)) -v lt=$((lt1 - lt0)) -v v="$vjiffies" -v s=$((st1 - st0)) -v all=$((all1 - all0)) '
		function pct(x, t) { x = (t > 0) ? 100 * x / t : 0; return x < 0 ? 0 : x }
		BEGIN { printf "%.0f %.0f %.1f\n", pct(a - ag, at), pct(l - v, lt), pct(s, all) }')"
	rc=$(ratio "$mp99" "$hp99")
	rs=$(ratio "$ms99" "$hs99")
	printf '%-5s | %8s %8s %7s | %8s %8s %7s | %6s %6s | %4s%% %4s%% %3s%% %5s\n' \
		"$r" "$mp50" "$mp99" "$ms99" "$hp50" "$hp99" "$hs99" "$rc" "$rs" "$others_a" "$others_l" "$steal" "$load1"
	if ((merr + herr > 0)); then
		echo "      errors: /metrics $merr of $mn, /healthz $herr of $hn"
	fi
	echo "$r $mp50 $mp99 $ms99 $hp50 $hp99 $hs99 $rc $rs $others_a $others_l $steal $load1" >>"$results"
done

# Medians of every column, over all rounds and over the quiet ones.
summary() {
	awk -v quiet="$QUIET_PCT" -v only="$1" '
		function median(col, sel,    n, i, j, t, v, other) {
			n = 0; other = "-"
			for (i = 1; i <= rows; i++) if (!sel || q[i]) {
				if (cell[i, col] ~ /^[0-9.]+$/) v[++n] = cell[i, col] + 0
				else other = cell[i, col] # "<0.1": all in the first bucket
			}
			if (n == 0) return other
			for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j - 1] > v[j]; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
			return (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
		}
		{ rows++; for (c = 1; c <= NF; c++) cell[rows, c] = $c; q[rows] = ($10 < quiet && $11 < quiet && $12 < 1); nq += q[rows] }
		END {
			sel = (only == "quiet")
			if (sel && nq == 0) { printf "quiet rounds (others < %s%% on both cores, steal < 1%%): none; rerun at a quieter moment\n", quiet; exit }
			label = sel ? sprintf("%d quiet round(s) (others < %s%% on both cores, steal < 1%%)", nq, quiet) : sprintf("all %d rounds", rows)
			printf "median of %s: /metrics p50 %s p99 %s (server p99 %s) ms; /healthz p50 %s p99 %s (server p99 %s) ms; p99 ratio client %s, server %s (target client <= 1.5)\n",
				label, median(2, sel), median(3, sel), median(4, sel), median(5, sel), median(6, sel), median(7, sel), median(8, sel), median(9, sel)
		}' "$results"
}

echo
echo "agent on CPU $AGENT_CPU, vegeta $VEGETA_VERSION on CPU $LOAD_CPU: $RATE req/s open loop in all, /metrics and /healthz alternating (RATE/2 each), $CONNS connections, $DURATION per round, $ROUNDS rounds"
echo "others: the share of each core used by anything but the agent and vegeta; the rounds worth reading have little of it"
summary all
summary quiet
echo "one scrape: $lines lines ($series series), $bytes bytes plain, $gzbytes bytes gzip"
awk '/^VmHWM/ { printf "agent peak RSS: %d KiB\n", $2 }' "/proc/$agent_pid/status" 2>/dev/null || true
