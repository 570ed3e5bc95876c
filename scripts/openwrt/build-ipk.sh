#!/usr/bin/env bash
# build-ipk.sh packs dist/<arch>/heimnetz (from scripts/cross/build.sh) into
# dist/heimnetz_<version>_<arch>.ipk for opkg (OpenWrt up to 24.10), without
# the OpenWrt SDK. The package is reproducible: files owned by root, every
# mtime SOURCE_DATE_EPOCH, sorted names, gzip without a timestamp.
#
#   scripts/openwrt/build-ipk.sh                 # every dist/<arch>/heimnetz
#   scripts/openwrt/build-ipk.sh mipsel_24kc     # one architecture
#
# The outer format is the classic ar archive with the members debian-binary
# ("2.0\n"), control.tar.gz and data.tar.gz in that order, which opkg reads.
#
# Environment: DIST (dist), VERSION, SOURCE_DATE_EPOCH (the commit time),
# LICENSE (Apache-2.0), MAINTAINER, BUDGET_PKG_BYTES (3500000, checked for
# mipsel_24kc).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=scripts/cross/targets.sh
. "$root/scripts/cross/targets.sh"

DIST=${DIST:-$root/dist}
VERSION=${VERSION:-$(heimnetz_version "$root")}
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$root" log -1 --format=%ct 2>/dev/null || echo 0)}
LICENSE=${LICENSE:-Apache-2.0}
MAINTAINER=${MAINTAINER:-heimnetz maintainers}
BUDGET_PKG_BYTES=${BUDGET_PKG_BYTES:-3500000}
BUDGET_TARGET=mipsel_24kc
# The fixed ids of the heimnetz user and group, as in the feed Makefile.
USERID="heimnetz=9110:heimnetz=9110"

pkgver=$(package_version "$VERSION")
files="$here/files"

archs=("$@")
if [ ${#archs[@]} -eq 0 ]; then
	for t in $HEIMNETZ_TARGETS; do
		[ -x "$DIST/$t/heimnetz" ] && archs+=("$t")
	done
	if [ ${#archs[@]} -eq 0 ]; then
		echo "error: no dist/<arch>/heimnetz found in $DIST; run scripts/cross/build.sh first" >&2
		exit 1
	fi
fi

ensure_tool tar tar
ensure_tool gzip gzip

# ar_member NAME FILE appends one member to the ar archive on stdout, in the
# header layout dpkg-deb writes (name padded, no trailing slash).
ar_member() {
	local name=$1 file=$2 size
	size=$(stat -c %s "$file")
	printf '%-16s%-12s%-6s%-6s%-8s%-10s`\n' "$name" "$SOURCE_DATE_EPOCH" 0 0 100644 "$size"
	cat "$file"
	if [ $((size % 2)) -eq 1 ]; then
		printf '\n'
	fi
}

# tar_gz DIR OUT writes a reproducible tar.gz of DIR's contents as ./...
tar_gz() {
	tar --format=gnu --sort=name --owner=0 --group=0 --numeric-owner \
		--mtime="@$SOURCE_DATE_EPOCH" -C "$1" -cf - . | gzip -9 -n >"$2"
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

for arch in "${archs[@]}"; do
	target_goenv "$arch" >/dev/null
	bin="$DIST/$arch/heimnetz"
	if [ ! -f "$bin" ]; then
		echo "error: $bin missing; run scripts/cross/build.sh $arch first" >&2
		exit 1
	fi
	work="$tmp/$arch"
	data="$work/data"
	control="$work/control"
	mkdir -p "$data/usr/bin" "$data/etc/init.d" "$data/etc/config" \
		"$data/lib/upgrade/keep.d" "$data/usr/share/heimnetz/plugins" "$control"
	install -m 0755 "$bin" "$data/usr/bin/heimnetz"
	install -m 0755 "$files/heimnetz.init" "$data/etc/init.d/heimnetz"
	install -m 0600 "$files/heimnetz.config" "$data/etc/config/heimnetz"
	install -m 0644 "$files/heimnetz.sysupgrade" "$data/lib/upgrade/keep.d/heimnetz"
	find "$data" -type d -exec chmod 0755 {} +

	installed_size=$(find "$data" -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
	cat >"$control/control" <<EOF
Package: heimnetz
Version: $pkgver
Depends: libc
Source: feeds/packages/net/heimnetz
SourceName: heimnetz
License: $LICENSE
Section: net
URL: https://github.com/heimnetz/heimnetz
Maintainer: $MAINTAINER
Architecture: $arch
Installed-Size: $installed_size
Require-User: $USERID
Description: Router status page, Prometheus metrics and sandboxed Lua plugins.
 heimnetz serves a status page, a JSON API and Prometheus /metrics on the
 LAN, and runs community Lua plugins in sandboxes with hard limits on
 instructions, memory and time. Its database lives in RAM with periodic
 snapshots to flash.
EOF
	echo "/etc/config/heimnetz" >"$control/conffiles"
	install -m 0755 "$files/heimnetz.postinst" "$control/postinst"
	install -m 0755 "$files/heimnetz.prerm" "$control/prerm"
	chmod 0644 "$control/control" "$control/conffiles"

	printf '2.0\n' >"$work/debian-binary"
	tar_gz "$control" "$work/control.tar.gz"
	tar_gz "$data" "$work/data.tar.gz"

	out="$DIST/heimnetz_${pkgver}_${arch}.ipk"
	# One package per architecture in dist/: older versions go.
	rm -f "$DIST"/heimnetz_*_"$arch".ipk
	{
		printf '!<arch>\n'
		ar_member debian-binary "$work/debian-binary"
		ar_member control.tar.gz "$work/control.tar.gz"
		ar_member data.tar.gz "$work/data.tar.gz"
	} >"$out.tmp"
	mv "$out.tmp" "$out"
	size=$(stat -c %s "$out")
	printf '%-60s %10d bytes\n' "$out" "$size"
	if [ "$arch" = "$BUDGET_TARGET" ] && [ "$size" -gt "$BUDGET_PKG_BYTES" ]; then
		echo "error: size budget: $out is $size bytes, over the $BUDGET_PKG_BYTES-byte budget" >&2
		fail=1
	fi
done
exit "$fail"
