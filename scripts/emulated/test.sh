#!/usr/bin/env bash
# test.sh cross-compiles the Go tests for router CPUs and runs them under
# qemu user-mode emulation, so that endianness, 32-bit alignment and
# soft-float bugs show up before a router does.
#
#   scripts/emulated/test.sh mips mipsle arm arm64
#   PKGS="./board/... ./store/..." scripts/emulated/test.sh mips
#
# ARCH is one of mips, mipsle (both GOMIPS=softfloat, as on MIPS 24Kc
# routers), arm (GOARM=7), arm5 (GOARM=5), arm64.
#
# Tests see HEIMNETZ_EMULATED=1 and must skip what cannot work under user-mode
# emulation with a reason, for example
#
#	if os.Getenv("HEIMNETZ_EMULATED") == "1" {
#		t.Skip("under qemu: /proc/self/status describes the emulator")
#	}
#
# The skipped tests are listed at the end. Environment: GO (go), PKGS
# (./...), TIMEOUT per package test binary (10m), GOTESTFLAGS (extra flags,
# default -short), LOGDIR (a temporary directory), SRCDIR (the checkout).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=scripts/cross/targets.sh
. "$root/scripts/cross/targets.sh"

GO=${GO:-go}
PKGS=${PKGS:-./...}
TIMEOUT=${TIMEOUT:-10m}
GOTESTFLAGS=${GOTESTFLAGS:--short}

if [ $# -eq 0 ]; then
	echo "usage: $0 ARCH... (mips mipsle arm arm5 arm64)" >&2
	exit 2
fi

# arch_env ARCH prints the Go variables and the qemu binary for ARCH.
arch_env() {
	case "$1" in
	mips) echo "GOARCH=mips GOMIPS=softfloat QEMU=qemu-mips-static" ;;
	mipsle) echo "GOARCH=mipsle GOMIPS=softfloat QEMU=qemu-mipsel-static" ;;
	arm) echo "GOARCH=arm GOARM=7 QEMU=qemu-arm-static" ;;
	arm5) echo "GOARCH=arm GOARM=5 QEMU=qemu-arm-static" ;;
	arm64) echo "GOARCH=arm64 QEMU=qemu-aarch64-static" ;;
	*)
		echo "unknown arch \"$1\" (known: mips mipsle arm arm5 arm64)" >&2
		return 1
		;;
	esac
}

for a in "$@"; do
	arch_env "$a" >/dev/null
done
for a in "$@"; do
	qemu=$(arch_env "$a" | tr ' ' '\n' | sed -n 's/^QEMU=//p')
	ensure_tool "$qemu" qemu-user-static
done
ensure_tool jq jq

LOGDIR=${LOGDIR:-$(mktemp -d)}
mkdir -p "$LOGDIR"
read -r -a pkgs <<<"$PKGS"
read -r -a testflags <<<"$GOTESTFLAGS"
cd "${SRCDIR:-$root}"

status=0
summary=""
for a in "$@"; do
	goarch="" gomips="" goarm="" qemu=""
	for kv in $(arch_env "$a"); do
		case "$kv" in
		GOARCH=*) goarch=${kv#*=} ;;
		GOMIPS=*) gomips=${kv#*=} ;;
		GOARM=*) goarm=${kv#*=} ;;
		QEMU=*) qemu=${kv#*=} ;;
		esac
	done
	json="$LOGDIR/test-$a.json"
	log="$LOGDIR/test-$a.log"
	echo "=== $a: GOARCH=$goarch${gomips:+ GOMIPS=$gomips}${goarm:+ GOARM=$goarm} under $qemu, log $log" >&2
	start=$(date +%s)
	rc=0
	env CGO_ENABLED=0 GOOS=linux GOARCH="$goarch" ${gomips:+GOMIPS=$gomips} ${goarm:+GOARM=$goarm} \
		HEIMNETZ_EMULATED=1 HEIMNETZ_QEMU="$qemu" \
		"$GO" test -count=1 -vet=off -json -timeout "$TIMEOUT" "${testflags[@]}" \
		-exec "$here/qemu-exec.sh" "${pkgs[@]}" >"$json" 2>"$log.stderr" || rc=$?
	secs=$(($(date +%s) - start))
	# The text go test -v would have printed, for people to read.
	jq -j 'select(.Action == "output" or .Action == "build-output") | .Output' "$json" >"$log" || true
	cat "$log.stderr" >>"$log"
	# Package results, test failures, crashes, then compile errors.
	grep -E '^(ok|FAIL|panic:|fatal error:)|^\?|^[[:space:]]*--- FAIL' "$log" >&2 || true
	grep -A4 '^# ' "$log" | head -40 >&2 || true
	counts=$(jq -s -r '[.[] | select(.Test != null) | .Action] as $a
		| [($a | map(select(. == "pass")) | length), ($a | map(select(. == "fail")) | length),
		   ($a | map(select(. == "skip")) | length)] | @tsv' "$json" 2>/dev/null || echo "0 0 0")
	read -r passed failed skipped <<<"$counts"
	pkgfail=$(grep -cE '^FAIL[[:space:]]' "$log" || true)
	line=$(printf '%-7s %4ds  %d passed, %d failed, %d skipped; %d packages failed (exit %d)' \
		"$a" "$secs" "$passed" "$failed" "$skipped" "$pkgfail" "$rc")
	summary+="$line"$'\n'
	[ "$rc" -eq 0 ] || status=1
done

echo
echo "skipped under emulation (arch package test: reason):"
for a in "$@"; do
	# A skipped test's reason is the last line it logged before the skip.
	jq -s -r --arg arch "$a" '
		reduce (.[] | select(.Test != null)) as $e ({};
			($e.Package + " " + $e.Test) as $k
			| if $e.Action == "output" and ($e.Output | test("^\\s*(=== |--- )") | not) then
				.[$k].reason = ($e.Output | sub("^\\s+"; "") | sub("\\n$"; ""))
			  elif $e.Action == "skip" then .[$k].skip = true
			  else . end)
		| to_entries[] | select(.value.skip)
		| "  \($arch) \(.key): \(.value.reason // "(no reason given)")"' "$LOGDIR/test-$a.json" || true
done
echo
echo "wall time and results per arch:"
printf '%s' "$summary"
exit "$status"
