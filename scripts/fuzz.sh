#!/usr/bin/env bash
# Runs every Go fuzz target of heimnetz (not the vendored engines') for a
# short time each: FUZZTIME per target (default 20s). New failing inputs
# land in the package's testdata/fuzz/ and fail `make test` from then on,
# as regression seeds. Targets are found, not listed, so a new Fuzz test
# is run without editing this file.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${FUZZTIME:-20s}
failed=0
count=0
while IFS= read -r dir; do
	pkg="./$dir"
	for target in $(go test -list '^Fuzz' "$pkg" | grep '^Fuzz'); do
		count=$((count + 1))
		echo "fuzz: $pkg $target ($fuzztime)"
		if ! go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "$pkg"; then
			failed=$((failed + 1))
		fi
	done
done < <(git ls-files '*_test.go' | grep -v '^third_party/' | xargs grep -l '^func Fuzz' | xargs -n1 dirname | sort -u)
echo "fuzz: $count targets, $failed failed"
[ "$failed" -eq 0 ]
