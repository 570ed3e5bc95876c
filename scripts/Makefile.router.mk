# Makefile.router.mk: router builds, emulated tests, OpenWrt packages and
# the memory footprint run. Included from the top-level Makefile; every
# target is a thin call of a script under scripts/, which can also be run by
# hand (each documents its environment variables at its top).

GO ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo 0.0.0-dev)
COMMIT ?= $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)
# ROUTER_LDFLAGS are the release link flags (the scripts compute the same).
ROUTER_LDFLAGS = -s -w -X github.com/heimnetz/heimnetz/agent/buildinfo.Version=$(VERSION) -X github.com/heimnetz/heimnetz/agent/buildinfo.Commit=$(COMMIT)
# ROUTER_ENV passes the shared settings to the scripts.
ROUTER_ENV = GO="$(GO)" VERSION="$(VERSION)" COMMIT="$(COMMIT)"

# Architectures for the emulated tests: all four locally, the two most
# different (big-endian 32-bit MIPS, 32-bit ARM) in CI to bound its time.
EMULATED_ARCHS ?= mips mipsle arm arm64
EMULATED_CI_ARCHS ?= mips arm
# Per test binary; a package that hangs under emulation fails in this time.
EMULATED_CI_TIMEOUT ?= 5m
# The .ipk built and checked by package-ipk / test-packaging.
IPK_ARCH ?= mipsel_24kc

.PHONY: cross size-report test-emulated test-emulated-ci package-ipk test-packaging footprint

## cross: static stripped binaries for every OpenWrt target in dist/<arch>/heimnetz, size table, size budget
cross:
	$(ROUTER_ENV) scripts/cross/build.sh

## size-report: the 10 Go packages taking the most bytes of the mipsel_24kc binary
size-report:
	$(ROUTER_ENV) scripts/cross/sizes.sh mipsel_24kc 10

## test-emulated: the Go tests cross-compiled and run under qemu for mips, mipsle, arm, arm64
test-emulated:
	$(ROUTER_ENV) scripts/emulated/test.sh $(EMULATED_ARCHS)

## test-emulated-ci: the same for mips and arm only
test-emulated-ci:
	$(ROUTER_ENV) TIMEOUT=$(EMULATED_CI_TIMEOUT) scripts/emulated/test.sh $(EMULATED_CI_ARCHS)

## package-ipk: dist/heimnetz_<version>_<arch>.ipk for every built target (builds them first)
package-ipk: cross
	$(ROUTER_ENV) scripts/openwrt/build-ipk.sh

## test-packaging: the init script off the router; build the $(IPK_ARCH) package and check its layout, control data, scripts and size (every check runs; any failure fails)
test-packaging:
	@rc=0; \
	scripts/openwrt/test-init.sh || rc=1; \
	$(ROUTER_ENV) scripts/cross/build.sh $(IPK_ARCH) || rc=1; \
	if [ -x dist/$(IPK_ARCH)/heimnetz ]; then \
		$(ROUTER_ENV) scripts/openwrt/build-ipk.sh $(IPK_ARCH) || rc=1; \
		$(ROUTER_ENV) scripts/openwrt/test-ipk.sh $(IPK_ARCH) || rc=1; \
	fi; \
	exit $$rc

## footprint: RSS and Go memory of the running agent on amd64 and mipsle (DURATION=600 s by default)
footprint:
	$(ROUTER_ENV) scripts/footprint/run.sh
