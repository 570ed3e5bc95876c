#!/usr/bin/env bash
# build.sh cross-compiles the static, stripped heimnetz binary for every
# OpenWrt architecture in targets.sh (or only those named as arguments) into
# dist/<openwrt-arch>/heimnetz, prints a size table and enforces the size
# budget of the smallest routers (mipsel_24kc).
#
#   scripts/cross/build.sh                    # all targets
#   scripts/cross/build.sh mipsel_24kc x86_64 # some targets
#
# Environment: GO (go), PKG (./agent), SRCDIR (the checkout; the directory
# PKG is resolved in), DIST (dist), VERSION, COMMIT,
# BUDGET_RAW_BYTES (10000000), BUDGET_PKG_BYTES (3500000).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=scripts/cross/targets.sh
. "$here/targets.sh"

GO=${GO:-go}
PKG=${PKG:-./agent}
DIST=${DIST:-$root/dist}
VERSION=${VERSION:-$(heimnetz_version "$root")}
COMMIT=${COMMIT:-$(heimnetz_commit "$root")}
BUDGET_RAW_BYTES=${BUDGET_RAW_BYTES:-10000000}
BUDGET_PKG_BYTES=${BUDGET_PKG_BYTES:-3500000}
BUDGET_TARGET=mipsel_24kc

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
	read -r -a targets <<<"$HEIMNETZ_TARGETS"
fi

ensure_tool xz xz-utils
ensure_tool gzip gzip

ldflags=$(heimnetz_ldflags "$VERSION" "$COMMIT")
mapfile -t gcflags < <(heimnetz_gcflags)
cd "${SRCDIR:-$root}"

for t in "${targets[@]}"; do
	goenv=$(target_goenv "$t")
	mkdir -p "$DIST/$t"
	echo "build $t ($(echo "$goenv" | tr '\n' ' '))" >&2
	# shellcheck disable=SC2086 # one assignment per line, no spaces inside
	env CGO_ENABLED=0 $goenv \
		"$GO" build -trimpath "${gcflags[@]}" -ldflags "$ldflags" -o "$DIST/$t/heimnetz" "$PKG"
done

fail=0
printf '%-26s %12s %12s %12s\n' target raw gzip xz
for t in "${targets[@]}"; do
	bin="$DIST/$t/heimnetz"
	raw=$(stat -c %s "$bin")
	gz=$(gzip -9 -n -c "$bin" | wc -c)
	xzs=$(xz -9 -c "$bin" | wc -c)
	printf '%-26s %12d %12d %12d\n' "$t" "$raw" "$gz" "$xzs"
	if [ "$t" = "$BUDGET_TARGET" ]; then
		if [ "$raw" -gt "$BUDGET_RAW_BYTES" ]; then
			echo "error: size budget: $t binary is $raw bytes, over the $BUDGET_RAW_BYTES-byte budget" >&2
			fail=1
		fi
		# The .ipk holds the binary in data.tar.gz, so gzip -9 of the binary
		# is its size within a few KB; build-ipk.sh checks the real package.
		if [ "$gz" -gt "$BUDGET_PKG_BYTES" ]; then
			echo "error: size budget: $t gzip size $gz bytes means a package over the $BUDGET_PKG_BYTES-byte budget" >&2
			fail=1
		fi
	fi
done
echo "version $VERSION, commit $COMMIT, output in $DIST" >&2
exit "$fail"
