#!/usr/bin/env bash
# test-ipk.sh unpacks one heimnetz .ipk and checks what opkg and a router
# rely on: the ar layout, the control data, the file modes and owners, that
# the binary is built for the package's architecture, the shell scripts'
# syntax (and shellcheck), and the size budget.
#
#   scripts/openwrt/test-ipk.sh dist/heimnetz_1.2.3_mipsel_24kc.ipk
#   scripts/openwrt/test-ipk.sh mipsel_24kc   # the package of this checkout's version
#
# Prints one line per check and "N passed, N failed" at the end; exits 1 if
# any check failed. Environment: DIST (dist), VERSION, BUDGET_PKG_BYTES
# (3500000, for mipsel_24kc).
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=scripts/cross/targets.sh
. "$root/scripts/cross/targets.sh"

DIST=${DIST:-$root/dist}
BUDGET_PKG_BYTES=${BUDGET_PKG_BYTES:-3500000}

if [ $# -ne 1 ]; then
	echo "usage: $0 PACKAGE.ipk | ARCH" >&2
	exit 2
fi
case "$1" in
*.ipk) ipk=$1 ;;
*)
	VERSION=${VERSION:-$(heimnetz_version "$root")}
	ipk="$DIST/heimnetz_$(package_version "$VERSION")_$1.ipk"
	;;
esac
if [ ! -f "$ipk" ]; then
	echo "error: $ipk not found (make package-ipk builds it)" >&2
	exit 2
fi
ipk=$(cd "$(dirname "$ipk")" && pwd)/$(basename "$ipk")

ensure_tool ar binutils || exit 2
ensure_tool readelf binutils || exit 2
ensure_tool tar tar || exit 2

passed=0
failed=0
# check NAME COMMAND... runs COMMAND and records a pass or a failure.
check() {
	local name=$1
	shift
	local out
	if out=$("$@" 2>&1); then
		passed=$((passed + 1))
		echo "ok   $name"
	else
		failed=$((failed + 1))
		echo "FAIL $name"
		[ -n "$out" ] && printf '%s\n' "$out" | sed 's/^/     /'
	fi
}

# want_equal WHAT GOT WANT
want_equal() {
	if [ "$2" != "$3" ]; then
		printf '%s: got %q, want %q\n' "$1" "$2" "$3"
		return 1
	fi
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 2

# The file name is heimnetz_<version>_<arch>.ipk; arch names contain "_".
base=$(basename "$ipk" .ipk)
rest=${base#heimnetz_}
file_version=${rest%%_*}
arch=${rest#*_}

check "file name names a known architecture ($arch)" target_goenv "$arch"

check "ar magic" want_equal "magic" "$(head -c 8 "$ipk")" '!<arch>'
check "ar members in order debian-binary, control.tar.gz, data.tar.gz" \
	want_equal "members" "$(ar t "$ipk" | tr '\n' ' ')" "debian-binary control.tar.gz data.tar.gz "
ar x "$ipk" || {
	echo "FAIL ar x $ipk"
	exit 1
}
check "debian-binary is 2.0" want_equal "debian-binary" "$(od -An -c debian-binary | tr -s ' ')" " 2 . 0 \n"

mkdir control data
tar -xzf control.tar.gz -C control
tar -xzf data.tar.gz -C data

# control_field NAME prints the value of one control field.
control_field() {
	sed -n "s/^$1: //p" control/control
}
for f in Package Version Depends Source SourceName License Section URL Maintainer Architecture Installed-Size Description; do
	check "control field $f present" test -n "$(control_field "$f")"
done
check "Package is heimnetz" want_equal Package "$(control_field Package)" heimnetz
check "Architecture matches the file name" want_equal Architecture "$(control_field Architecture)" "$arch"
check "Version matches the file name" want_equal Version "$(control_field Version)" "$file_version"
check "Depends is libc" want_equal Depends "$(control_field Depends)" libc
installed=$(find data -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
check "Installed-Size is the data's size" want_equal Installed-Size "$(control_field Installed-Size)" "$installed"
check "conffiles lists /etc/config/heimnetz" want_equal conffiles "$(cat control/conffiles)" /etc/config/heimnetz
check "every conffile is in the data" test -f "data$(cat control/conffiles)"

# mode_of PATH prints the octal mode of an extracted file.
mode_of() {
	stat -c %a "$1"
}
check "/usr/bin/heimnetz mode 755" want_equal mode "$(mode_of data/usr/bin/heimnetz)" 755
check "/etc/init.d/heimnetz mode 755" want_equal mode "$(mode_of data/etc/init.d/heimnetz)" 755
check "/etc/config/heimnetz mode 600" want_equal mode "$(mode_of data/etc/config/heimnetz)" 600
check "/lib/upgrade/keep.d/heimnetz mode 644" want_equal mode "$(mode_of data/lib/upgrade/keep.d/heimnetz)" 644
check "/usr/share/heimnetz/plugins/ is a directory" test -d data/usr/share/heimnetz/plugins
check "postinst and prerm executable" test -x control/postinst -a -x control/prerm
check "init script starts with the rc.common shebang" \
	want_equal shebang "$(head -n 1 data/etc/init.d/heimnetz)" '#!/bin/sh /etc/rc.common'
check "keep.d keeps the flash data dir (snapshot, plugins)" \
	grep -qx -e /etc/heimnetz/ data/lib/upgrade/keep.d/heimnetz

# owners_and_mtimes TARBALL prints "owner mtime" of every entry, deduplicated.
owners_and_mtimes() {
	tar -tvzf "$1" --numeric-owner --full-time | awk '{ print $2, $4, $5 }' | sort -u
}
for t in control.tar.gz data.tar.gz; do
	check "$t: every entry owned by 0/0 with one mtime" \
		want_equal "$t owners/mtimes" "$(owners_and_mtimes "$t" | wc -l | tr -d ' ')" 1
	check "$t: owner is 0/0" want_equal owner "$(owners_and_mtimes "$t" | cut -d' ' -f1)" 0/0
	check "$t: paths start with ./" test -z "$(tar -tzf "$t" | grep -v '^\./')"
done

# The binary's ELF header: class, endianness and machine of the arch.
if want=$(target_elf "$arch" 2>/dev/null); then
	hdr=$(readelf -h data/usr/bin/heimnetz 2>&1)
	IFS='|' read -r class data_enc machine <<<"$want"
	check "binary ELF class $class" grep -q "Class:[[:space:]]*$class" <<<"$hdr"
	check "binary ELF data $data_enc" grep -q "Data:.*$data_enc" <<<"$hdr"
	check "binary ELF machine $machine" grep -q "Machine:[[:space:]]*$machine\$" <<<"$hdr"
	check "binary is static (no program interpreter)" \
		test -z "$(readelf -l data/usr/bin/heimnetz 2>/dev/null | grep -i interpreter)"
	check "binary is stripped (no .symtab)" \
		test -z "$(readelf -S data/usr/bin/heimnetz 2>/dev/null | grep -F .symtab)"
fi

for s in data/etc/init.d/heimnetz control/postinst control/prerm; do
	check "sh -n ${s#*/}" sh -n "$s"
done
if ensure_tool shellcheck shellcheck >/dev/null 2>&1; then
	# The init script is sourced by /etc/rc.common, which defines its
	# helpers and variables; busybox ash has "local".
	check "shellcheck init script" shellcheck -s sh -e SC3043,SC2034,SC1091 data/etc/init.d/heimnetz
	check "shellcheck postinst, prerm" shellcheck -s sh -e SC1091 control/postinst control/prerm
else
	echo "WARN shellcheck could not be installed (apt-get install shellcheck): shell lint NOT run"
fi

size=$(stat -c %s "$ipk")
if [ "$arch" = mipsel_24kc ]; then
	check "size budget: $size bytes <= $BUDGET_PKG_BYTES" test "$size" -le "$BUDGET_PKG_BYTES"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
