#!/usr/bin/env bash
# run.sh measures the memory the running agent needs: it builds heimnetz for
# amd64 and mipsle, runs `heimnetz run` on a free loopback port with a fresh
# data directory and the bundled plugins, scrapes /metrics once a second for
# DURATION seconds (asking for gzip, as Prometheus does) while sampling
# VmRSS and VmHWM from /proc, and prints the median and maximum of each
# memory series.
#
# mipsle runs under qemu-mipsel-static, whose own memory is in the process's
# RSS. Two ways take it out: a Go program that only sleeps
# (scripts/footprint/idle) is run natively and under the same emulator, and
# the difference of their RSS is subtracted from the agent's (VmRSS-net; an
# upper bound, since the emulator's translated-code cache grows with the
# code the agent runs); and the guest's own mappings, below 4 GiB, are
# summed from /proc/PID/smaps (guest-Rss, and guest-RssAnon without the
# binary's file pages), the closer estimate of a router's RSS.
#
# At the end of a run it prints the Go runtime's memory by class
# (runtime/metrics /memory/classes, as the agent exports them) and the two
# figures the 10 MB target is read against: mapped (what the runtime has
# taken from the kernel's address space, /memory/classes/total) and held
# (mapped less what it has released back, which a router loses to it),
# with the CPU the agent used meanwhile (as the host counts it: under qemu
# the emulator's work is in it, so compare runs of one arch) and the
# garbage collections it made.
#
# PROFILE=1 builds the agent with the heimnetz_memprofile tag
# (agent/memprofile.go) and, at the end of the run, has it write every
# /memory/classes figure, a heap profile and its goroutines' stacks to
# KEEP (or the temporary directory) under profile-ARCH/; the profiler's own
# buckets are then in the figures (/memory/classes/profiling/buckets).
#
#   scripts/footprint/run.sh                  # 600 s per architecture
#   DURATION=60 ARCHS=mipsle scripts/footprint/run.sh
#   DURATION=30 ARCHS=mipsle PROFILE=1 KEEP=/tmp/fp scripts/footprint/run.sh
#   go tool pprof -top /tmp/fp/heimnetz-mipsle /tmp/fp/profile-mipsle/heap.pprof
#
# Environment: GO (go), PKG (./agent), SRCDIR (the checkout), DURATION (600),
# ARCHS ("amd64 mipsle"), KEEP (a directory to keep the samples in),
# PROFILE (1: profile as above), CONFIG (a config file for the agent),
# AGENT_GODEBUG (the agent's GODEBUG; memprofilerate=0 by default, as the
# OpenWrt init script runs it).
# It only ever signals the processes it started.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=scripts/cross/targets.sh
. "$root/scripts/cross/targets.sh"

GO=${GO:-go}
PKG=${PKG:-./agent}
DURATION=${DURATION:-600}
ARCHS=${ARCHS:-amd64 mipsle}
VERSION=${VERSION:-$(heimnetz_version "$root")}
COMMIT=${COMMIT:-$(heimnetz_commit "$root")}

ensure_tool curl curl
ensure_tool ss iproute2
case " $ARCHS " in *" mipsle "*) ensure_tool qemu-mipsel-static qemu-user-static ;; esac

work=$(mktemp -d)
pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do
		kill -TERM "$p" 2>/dev/null || true
	done
	for p in "${pids[@]}"; do
		wait "$p" 2>/dev/null || true
	done
	if [ -n "${KEEP:-}" ]; then
		mkdir -p "$KEEP" && cp -r "$work"/. "$KEEP"/
	fi
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# free_port prints a TCP port nothing listens on, from the ephemeral-free
# range 20000-59999.
free_port() {
	local p
	for _ in $(seq 1 50); do
		p=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
		if ! ss -Htln "sport = :$p" | grep -q .; then
			echo "$p"
			return 0
		fi
	done
	echo "error: no free port found" >&2
	return 1
}

# build GOARCH OUT DIR PKG [TAGS] builds a release binary (static,
# stripped) of PKG as seen from DIR, with the build tags TAGS if given.
build() {
	local goarch=$1 out=$2 dir=$3 pkg=$4 tags=${5:-} gomips=""
	[ "$goarch" = mipsle ] && gomips=softfloat
	(
		cd "$dir"
		env CGO_ENABLED=0 GOOS=linux GOARCH="$goarch" ${gomips:+GOMIPS=$gomips} \
			"$GO" build -trimpath ${tags:+-tags "$tags"} $(heimnetz_gcflags) -ldflags "$(heimnetz_ldflags "$VERSION" "$COMMIT")" -o "$out" "$pkg"
	)
}

# kib_of PID FIELD prints a /proc/PID/status field (VmRSS, VmHWM) in KiB.
kib_of() {
	awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status" 2>/dev/null
}

# guest_kib PID prints "RSS ANON" in KiB of the emulated program's own
# mappings in /proc/PID/smaps: qemu-user on a 64-bit host maps a 32-bit
# guest below 4 GiB and itself (translated code, its heap) above, so the
# mappings that start below 4 GiB are the guest's. ANON leaves out the
# guest binary's file-backed pages, which a router's kernel can drop and
# re-read under memory pressure.
guest_kib() {
	awk '
		/^[0-9a-f]+-[0-9a-f]+ / {
			split($1, r, "-")
			guest = length(r[1]) <= 8
			file = ($6 ~ /^\//)
			next
		}
		guest && $1 == "Rss:" { rss += $2; if (!file) anon += $2 }
		END { print rss + 0, anon + 0 }' "/proc/$1/smaps" 2>/dev/null
}

# stop PID stops a process this script started and sets STOP_RC to its exit
# status (not in a subshell: only the parent shell can wait for it).
stop() {
	local pid=$1 rc=0
	kill -TERM "$pid" 2>/dev/null || true
	for _ in $(seq 1 100); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		echo "warning: PID $pid did not stop within 10 s of SIGTERM; killing it" >&2
		kill -KILL "$pid" 2>/dev/null || true
	fi
	wait "$pid" 2>/dev/null || rc=$?
	STOP_RC=$rc
}

# idle_rss RUNNER... starts the idle program (under RUNNER, if any), lets it
# settle and sets IDLE_RSS to its VmRSS in KiB.
idle_rss() {
	local pid rss
	"$@" &
	pid=$!
	pids+=("$pid")
	sleep 2
	rss=$(kib_of "$pid" VmRSS)
	stop "$pid"
	if [ -z "$rss" ]; then
		echo "error: the idle program ($*) exited before it was measured" >&2
		exit 1
	fi
	IDLE_RSS=$rss
}

# summarise FILE prints "name median max" for every series in FILE, whose
# lines are "name value".
summarise() {
	sort -k1,1 -k2,2g "$1" | awk '
		function flush() {
			if (n == 0) return
			med = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
			printf "%s %.0f %.0f %d\n", name, med, v[n], n
		}
		$1 != name { flush(); name = $1; n = 0 }
		{ v[++n] = $2 }
		END { flush() }'
}

mib() {
	awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'
}

report=()
for arch in $ARCHS; do
	case "$arch" in
	amd64) runner=() ;;
	mipsle) runner=(qemu-mipsel-static) ;;
	*)
		echo "error: unknown arch \"$arch\" (amd64, mipsle)" >&2
		exit 2
		;;
	esac
	echo "=== $arch: build" >&2
	tags=""
	[ "${PROFILE:-}" = 1 ] && tags=heimnetz_memprofile
	build "$arch" "$work/heimnetz-$arch" "${SRCDIR:-$root}" "$PKG" "$tags"
	build "$arch" "$work/idle-$arch" "$root" ./scripts/footprint/idle

	emulator_kib=0
	if [ ${#runner[@]} -gt 0 ]; then
		[ -f "$work/idle-amd64-native" ] || (cd "$root" && CGO_ENABLED=0 "$GO" build -o "$work/idle-amd64-native" ./scripts/footprint/idle)
		idle_rss "$work/idle-amd64-native"
		native=$IDLE_RSS
		idle_rss "${runner[@]}" "$work/idle-$arch"
		emulated=$IDLE_RSS
		emulator_kib=$((emulated - native))
		echo "=== $arch: idle Go program $native KiB native, $emulated KiB under ${runner[0]}: emulator $emulator_kib KiB" >&2
	fi

	port=$(free_port)
	data="$work/data-$arch"
	mkdir -p "$data"
	samples="$work/samples-$arch"
	: >"$samples"
	echo "=== $arch: run on 127.0.0.1:$port for $DURATION s" >&2
	profile="$work/profile-$arch"
	mkdir -p "$profile"
	# GODEBUG as the OpenWrt init script sets it (heimnetz.init).
	GODEBUG=${AGENT_GODEBUG-memprofilerate=0} HEIMNETZ_MEMPROFILE_DIR=$profile "${runner[@]}" "$work/heimnetz-$arch" run --listen "127.0.0.1:$port" --data "$data" \
		${CONFIG:+--config "$CONFIG"} >"$work/agent-$arch.log" 2>&1 &
	pid=$!
	pids+=("$pid")

	up=0
	for _ in $(seq 1 120); do
		if curl -fsS -m 2 "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then
			up=1
			break
		fi
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.5
	done
	if [ "$up" != 1 ]; then
		echo "error: $arch agent did not answer /healthz; its log:" >&2
		tail -20 "$work/agent-$arch.log" >&2
		exit 1
	fi

	end=$(($(date +%s) + DURATION))
	scrapes=0 failures=0
	while [ "$(date +%s)" -lt "$end" ]; do
		tick=$(date +%s.%N)
		rss=$(kib_of "$pid" VmRSS) hwm=$(kib_of "$pid" VmHWM)
		if [ -z "$rss" ]; then
			echo "error: $arch agent exited during the run; its log:" >&2
			tail -20 "$work/agent-$arch.log" >&2
			exit 1
		fi
		{
			echo "VmRSS $((rss * 1024))"
			echo "VmHWM $((hwm * 1024))"
			if [ ${#runner[@]} -gt 0 ]; then
				echo "VmRSS-net $(((rss - emulator_kib) * 1024))"
				read -r grss ganon <<<"$(guest_kib "$pid")"
				echo "guest-Rss $((grss * 1024))"
				echo "guest-RssAnon $((ganon * 1024))"
			fi
		} >>"$samples"
		# Every unlabelled memory series of the Go runtime, the process and
		# the agent itself. Scraped as Prometheus does, asking for gzip, so
		# the encoder's memory is in what is measured.
		if body=$(curl -fsS -m 5 --compressed "http://127.0.0.1:$port/metrics"); then
			scrapes=$((scrapes + 1))
			# The CPU the agent spent and its garbage collections so far,
			# for what a memory setting costs (the last scrape's are kept).
			printf '%s\n' "$body" | awk '$1 ~ /^(process_cpu_seconds_total|go_gc_cycles_total)$/ { printf "%s %s ", $1, $2 }' >"$work/counters-$arch"
			printf '%s\n' "$body" |
				awk '$1 ~ /^(go_|process_|heimnetz_)[a-z0-9_]*bytes$/ && NF == 2 { print $1, $2; v[$1] = $2 }
					END {
						# held: mapped less released, the memory the router loses to the runtime
						t = "heimnetz_go_memory_total_bytes"; r = "heimnetz_go_memory_released_bytes"
						if ((t in v) && (r in v)) print "go-held(total-released)", v[t] - v[r]
					}' >>"$samples"
		else
			failures=$((failures + 1))
		fi
		sleep "$(awk -v t="$tick" -v now="$(date +%s.%N)" 'BEGIN { d = 1 - (now - t); print (d > 0 ? d : 0) }')"
	done
	# CPU as the host counts it (under qemu the guest's own figure is 0;
	# there it includes the emulator's work, so compare runs, not arches).
	cpu_s=$(awk -v hz="$(getconf CLK_TCK)" '{ sub(/.*\) /, ""); printf "%.1f", ($12 + $13) / hz }' "/proc/$pid/stat")
	if [ "${PROFILE:-}" = 1 ]; then
		kill -USR1 "$pid"
		for _ in $(seq 1 300); do
			[ -s "$profile/goroutines.txt" ] && break
			sleep 0.1
		done
		[ -s "$profile/goroutines.txt" ] || echo "warning: $arch agent wrote no profile within 30 s" >&2
	fi
	stop "$pid"
	rc=$STOP_RC

	report+=("--- $arch: $DURATION s, $scrapes scrapes ($failures failed), exit status after SIGTERM $rc${runner[*]:+, under ${runner[*]} (emulator $(mib $((emulator_kib * 1024))) subtracted in VmRSS-net)}")
	report+=("--- $arch: CPU $cpu_s s in all (host's count); at the last scrape: $(cat "$work/counters-$arch" 2>/dev/null)")
	while read -r name med max n; do
		report+=("$(printf '%-8s %-44s %12s %12s %6d' "$arch" "$name" "$(mib "$med")" "$(mib "$max")" "$n")")
	done < <(summarise "$samples")
	if [ -s "$profile/classes.txt" ]; then
		report+=("--- $arch: runtime/metrics at the end of the run (profile in $profile; with the profiler's buckets)")
		while read -r name value; do
			case "$name" in
			*:bytes) report+=("$(printf '%-8s %-44s %12s' "$arch" "${name%:bytes}" "$(mib "$value")")") ;;
			*) report+=("$(printf '%-8s %-44s %12s' "$arch" "$name" "$value")") ;;
			esac
		done <"$profile/classes.txt"
	fi
done

echo
printf '%-8s %-44s %12s %12s %6s\n' arch series median max n
printf '%s\n' "${report[@]}"
