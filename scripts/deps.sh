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
#                              (busybox's udhcpc is also the DHCP client of
#                              the simulated home network, scripts/homenet)
#   dnsmasq-base, nftables, iproute2  the simulated home network: its own
#                              dnsmasq in a network namespace, NAT with nft.
#                              dnsmasq-base is Debian's dnsmasq binary without
#                              the system service (package dnsmasq), so the
#                              install starts and enables no DNS/DHCP server
#                              on the host; the test runs its own instance.
#   gcc, libc6-dev             cgo for the race detector (make test-race)
#   victoria-metrics           the push test (agent/push_e2e_test.go) pushes to
#                              its own instance on a free loopback port
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
[ -x /usr/sbin/dnsmasq ] || need+=(dnsmasq-base)
[ -x /usr/sbin/nft ] || need+=(nftables)
[ -x /usr/sbin/ip ] || [ -x /bin/ip ] || need+=(iproute2)
have gcc || need+=(gcc)
[ -f /usr/include/stdlib.h ] || need+=(libc6-dev)
[ -x /usr/bin/prometheus-node-exporter ] || need+=(prometheus-node-exporter)
[ -x /usr/bin/victoria-metrics ] || need+=(victoria-metrics)

if [ ${#need[@]} -eq 0 ]; then
	exit 0
fi
echo "deps: installing ${need[*]}"
sudo=""
if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
# The tests start their own prometheus-node-exporter (and prometheus) on
# free loopback ports; the packages' services must not start and take
# :9100/:9090/:8428 (victoria-metrics) on this machine. policy-rc.d
# refuses service starts during the install (only when no policy is in
# place already).
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
	printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
	$sudo chmod 755 "$policy"
	trap '$sudo rm -f "$policy"' EXIT
fi
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
