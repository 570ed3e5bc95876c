# heimnetz — build, run and test. `make run` and `make test` are all a
# newcomer needs (see README.md).

GO      ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo 0.0.0-dev)
COMMIT  ?= $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)
# TAGS: build tags; `make build TAGS=https` adds HTTPS (left out of the
# router build for its size, as OpenWrt keeps LuCI's TLS in luci-ssl).
TAGS    ?=
LDFLAGS := -s -w -X github.com/heimnetz/heimnetz/agent/buildinfo.Version=$(VERSION) -X github.com/heimnetz/heimnetz/agent/buildinfo.Commit=$(COMMIT)
export CGO_ENABLED := 0
# STATICCHECK: installed at its pinned version by scripts/tools.sh.
STATICCHECK ?= bin/tools/staticcheck

.PHONY: all build run test test-go test-engine deps lint tools fuzz bench clean

all: build

## build: the static agent binary in bin/heimnetz
build:
	$(GO) build -trimpath -tags '$(TAGS)' -ldflags '$(LDFLAGS)' -o bin/heimnetz ./agent

## run: the agent on embedded defaults (127.0.0.1:9110, ./data) with its bundled plugins
run: build
	./bin/heimnetz run

## test: every test — installs what the tests need first
test: deps lint test-go test-engine test-emulated-ci test-packaging

## deps: Debian packages and Go modules the tests need
deps:
	./scripts/deps.sh
	$(GO) mod download

## lint: gofmt, go vet and staticcheck over heimnetz's own packages, with and
## without the https tag. third_party/* are separate modules (each has its own
## go.mod), so ./... does not enter them; their upstream style is not ours.
lint: tools
	@out=$$(gofmt -l $$(git ls-files '*.go' | grep -v '^third_party/')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) vet -tags https ./web/
	$(STATICCHECK) ./...
	$(STATICCHECK) -tags https ./web/

## tools: the pinned Go tools lint runs (scripts/tools.sh, into bin/tools/)
tools:
	GO="$(GO)" ./scripts/tools.sh

test-go:
	$(GO) test -timeout 15m ./...
	$(GO) test -timeout 5m -tags https ./web/

## test-engine: the vendored, patched dependencies' own upstream tests
test-engine:
	cd third_party/gopher-lua && $(GO) test -timeout 10m ./...
	cd third_party/fasthttp && $(GO) test -timeout 10m ./... && $(GO) test -timeout 10m -tags https ./...
	cd third_party/metrics && $(GO) test -timeout 5m ./...

## fuzz: a short run of every fuzz target (not part of make test)
fuzz:
	./scripts/fuzz.sh

## bench: the sandbox benchmarks quoted in issue notes
bench:
	$(GO) test -run '^$$' -bench . -benchmem -count 6 ./luaplugins/ ./limits/

clean:
	rm -rf bin dist out

include scripts/Makefile.router.mk
