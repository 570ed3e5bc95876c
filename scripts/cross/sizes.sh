#!/usr/bin/env bash
# sizes.sh builds the agent for one OpenWrt target without -s -w (so the
# symbol table is kept) and prints the Go packages that take the most bytes.
#
#   scripts/cross/sizes.sh [TARGET] [TOP]     # default mipsel_24kc 10
#
# Prints the top packages, then the same bytes summed per module.
#
# Environment: GO (go), PKG (./agent), SRCDIR (the checkout).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=scripts/cross/targets.sh
. "$here/targets.sh"

GO=${GO:-go}
PKG=${PKG:-./agent}
target=${1:-mipsel_24kc}
top=${2:-10}

goenv=$(target_goenv "$target")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

(
	cd "${SRCDIR:-$root}"
	# shellcheck disable=SC2086 # one assignment per line, no spaces inside
	env CGO_ENABLED=0 $goenv "$GO" build -trimpath -o "$tmp/heimnetz" "$PKG"
)
echo "size by package, $target, unstripped build of $PKG (stripped file bytes = program image)"
cd "$root"
"$GO" build -o "$tmp/sizes" ./scripts/cross/sizes
"$tmp/sizes" -bin "$tmp/heimnetz" -top "$top"
echo
"$tmp/sizes" -bin "$tmp/heimnetz" -top "$top" -group module
