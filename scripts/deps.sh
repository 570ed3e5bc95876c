#!/usr/bin/env bash
# Installs the Debian packages the test suite needs, when missing:
#   promtool (prometheus)      checks the /metrics output
#   lua5.1                     reference interpreter for the conformance test
#   qemu-user-static           runs the tests for MIPS and ARM
#   chromium                   the browser test of the status page
#   wrk, prometheus-node-exporter  the load test (scripts/load)
#   binutils (ar), xz-utils    packaging
#   jq                         the emulated-test runner reads go test -json
#   busybox, dash, shellcheck  the init script is tested under OpenWrt's shell
#   gcc, libc6-dev             cgo for the race detector (make test-race)
# Nothing is skipped silently: a missing tool that cannot be installed fails.
set -euo pipefail

need=()
have() { command -v "$1" >/dev/null 2>&1; }
have promtool || need+=(prometheus)
have lua5.1 || need+=(lua5.1)
have qemu-mips-static || need+=(qemu-user-static)
have chromium || need+=(chromium)
have wrk || need+=(wrk)
have ar || need+=(binutils)
have xz || need+=(xz-utils)
have jq || need+=(jq)
have busybox || need+=(busybox)
have dash || need+=(dash)
have shellcheck || need+=(shellcheck)
have gcc || need+=(gcc)
[ -f /usr/include/stdlib.h ] || need+=(libc6-dev)
[ -x /usr/bin/prometheus-node-exporter ] || need+=(prometheus-node-exporter)

if [ ${#need[@]} -eq 0 ]; then
	exit 0
fi
echo "deps: installing ${need[*]}"
sudo=""
if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
