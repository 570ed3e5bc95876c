#!/usr/bin/env bash
# Checks that every package with concurrency of its own is either run
# under the race detector or named as left out, so a new package with
# goroutines cannot slip past `make test-race` unnoticed.
#
#   scripts/race-packages.sh "RACE_PKGS" "RACE_OUT"
#
# Both arguments are package patterns as the Makefile writes them
# (./store/ ./agent/internal/core/). A package has concurrency when one of
# its non-test Go files (any OS) starts a goroutine, uses sync or
# sync/atomic, arms a timer callback (time.AfterFunc) or handles signals.
set -euo pipefail
cd "$(dirname "$0")/.."

GO=${GO:-go}
in=$1
out=$2

# norm turns ./a/b/ and ./a/b into a/b.
norm() { local p=${1#./}; echo "${p%/}"; }

declare -A listed
for p in $in $out; do
	listed[$(norm "$p")]=1
done

module=$("$GO" list -m)
status=0
while read -r pkg dir files; do
	rel=${pkg#"$module"}
	rel=${rel#/}
	[ -n "$rel" ] || rel=.
	found=""
	for f in $files; do
		if grep -qE '^[[:space:]]*go[[:space:]]+[A-Za-z_(]|"sync"|"sync/atomic"|time\.AfterFunc|signal\.Notify' "$dir/$f"; then
			found=$f
			break
		fi
	done
	if [ -n "$found" ] && [ -z "${listed[$rel]:-}" ]; then
		echo "race-packages: ./$rel/ has concurrency ($found) but is in neither RACE_PKGS nor RACE_OUT; add it to one, with the reason, in the Makefile" >&2
		status=1
	fi
	if [ -z "$found" ] && [ -n "${listed[$rel]:-}" ]; then
		echo "race-packages: ./$rel/ is listed but has no goroutines, sync, timers or signals of its own; take it out of the Makefile's race lists" >&2
		status=1
	fi
done < <("$GO" list -e -f '{{.ImportPath}} {{.Dir}} {{join .GoFiles " "}} {{join .IgnoredGoFiles " "}}' ./...)
exit $status
