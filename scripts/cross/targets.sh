# shellcheck shell=bash
# targets.sh is sourced by the router build scripts. It names the OpenWrt
# architectures heimnetz is built for and maps each to Go's build variables.
# The OpenWrt names are the package architectures opkg and apk compare
# against, so a package built for one installs only where it fits.

# HEIMNETZ_TARGETS lists every OpenWrt architecture `make cross` builds.
HEIMNETZ_TARGETS="mipsel_24kc mips_24kc arm_arm926ej-s arm_cortex-a7_neon-vfpv4 aarch64_cortex-a53 x86_64"

# HEIMNETZ_MODULE is the Go module path, used for -X link flags.
HEIMNETZ_MODULE="github.com/heimnetz/heimnetz"

# target_goenv ARCH prints the GOOS/GOARCH/GOMIPS/GOARM assignments for one
# OpenWrt architecture, one per line, or fails naming the unknown target.
target_goenv() {
	case "$1" in
	mipsel_24kc) printf 'GOOS=linux\nGOARCH=mipsle\nGOMIPS=softfloat\n' ;;
	mips_24kc) printf 'GOOS=linux\nGOARCH=mips\nGOMIPS=softfloat\n' ;;
	arm_arm926ej-s) printf 'GOOS=linux\nGOARCH=arm\nGOARM=5\n' ;;
	arm_cortex-a7_neon-vfpv4) printf 'GOOS=linux\nGOARCH=arm\nGOARM=7\n' ;;
	aarch64_cortex-a53) printf 'GOOS=linux\nGOARCH=arm64\n' ;;
	x86_64) printf 'GOOS=linux\nGOARCH=amd64\n' ;;
	*)
		echo "unknown target \"$1\" (known: $HEIMNETZ_TARGETS)" >&2
		return 1
		;;
	esac
}

# target_elf ARCH prints what `readelf -h` must report for the target's
# binary: class, data (endianness) and machine, separated by '|'.
target_elf() {
	case "$1" in
	mipsel_24kc) echo "ELF32|little endian|MIPS R3000" ;;
	mips_24kc) echo "ELF32|big endian|MIPS R3000" ;;
	arm_arm926ej-s | arm_cortex-a7_neon-vfpv4) echo "ELF32|little endian|ARM" ;;
	aarch64_cortex-a53) echo "ELF64|little endian|AArch64" ;;
	x86_64) echo "ELF64|little endian|Advanced Micro Devices X86-64" ;;
	*)
		echo "unknown target \"$1\"" >&2
		return 1
		;;
	esac
}

# heimnetz_version prints the version string: `git describe` of the checkout,
# or 0.0.0-dev outside a git checkout.
heimnetz_version() {
	local v
	v=$(git -C "${1:-.}" describe --tags --always --dirty 2>/dev/null) || v=""
	echo "${v:-0.0.0-dev}"
}

# heimnetz_commit prints the short commit hash, or "unknown".
heimnetz_commit() {
	local c
	c=$(git -C "${1:-.}" rev-parse --short HEAD 2>/dev/null) || c=""
	echo "${c:-unknown}"
}

# heimnetz_ldflags VERSION COMMIT prints the link flags of a release build.
heimnetz_ldflags() {
	echo "-s -w -X $HEIMNETZ_MODULE/agent/buildinfo.Version=$1 -X $HEIMNETZ_MODULE/agent/buildinfo.Commit=$2"
}

# heimnetz_gcflags prints the compile flags of a release build, one
# -gcflags argument per line (read them into an array). Router builds do
# not inline in cold packages (crypto, encoding, compression, archives,
# regexp, yaml, bbolt, heimnetz's own packages, ...): inlining there
# costs ~450 KB of a MIPS binary and buys nothing measurable, while the
# hot paths (runtime, the Lua VM, fasthttp, metrics, strings/bytes/strconv,
# maps, sync, time, io, JSON) keep it. Measured on mipsle: 10.68 MB ->
# 9.90 MB raw, 3.67 -> 3.28 MB gzip; the sandbox benchmarks
# (BenchmarkSandboxInterleaved) are unchanged within noise.
heimnetz_gcflags() {
	echo "-gcflags=all=-l"
	local hot
	for hot in 'runtime/...' 'internal/...' 'sync/...' strings bytes 'unicode/...' strconv 'math/...' \
		sort slices maps time io bufio errors encoding/json encoding/binary \
		'github.com/yuin/gopher-lua/...' github.com/valyala/fasthttp github.com/valyala/bytebufferpool \
		github.com/VictoriaMetrics/metrics; do
		echo "-gcflags=$hot="
	done
}

# ensure_tool CMD DEBIAN_PACKAGE installs the Debian package that provides
# CMD when CMD is missing, and fails loudly when that is impossible.
ensure_tool() {
	local cmd=$1 pkg=$2 sudo=""
	command -v "$cmd" >/dev/null 2>&1 && return 0
	if [ "$(id -u)" != 0 ]; then
		if command -v sudo >/dev/null 2>&1; then
			sudo="sudo"
		else
			echo "error: $cmd is missing; install the Debian package $pkg (need root or sudo)" >&2
			return 1
		fi
	fi
	echo "installing $pkg (for $cmd)" >&2
	if ! $sudo apt-get install -y --no-install-recommends "$pkg" >&2; then
		$sudo apt-get update >&2 && $sudo apt-get install -y --no-install-recommends "$pkg" >&2
	fi
	if ! command -v "$cmd" >/dev/null 2>&1; then
		echo "error: $cmd still missing after installing $pkg" >&2
		return 1
	fi
}

# package_version VERSION turns a `git describe` string into a package
# version opkg orders sensibly: no leading "v", a dotted number first
# (a bare commit hash becomes 0.0.0-git<hash>).
package_version() {
	local v=${1#v}
	case "$v" in
	[0-9]*.*) ;; # a release tag such as 1.2.3 or 1.2.3-4-gabcdef
	*) v="0.0.0-git$v" ;;
	esac
	echo "$v" | tr -c 'A-Za-z0-9.+~\n-' '.'
}
