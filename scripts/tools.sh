#!/usr/bin/env bash
# Installs the Go tools `make lint` runs into bin/tools/, each at the one
# version pinned below (change it here and nowhere else). A tool already
# there, built from the pinned version by the current Go toolchain, is kept,
# so a second run is instant and needs no network; a different version or a
# newer Go rebuilds it (staticcheck must understand the Go it checks).
#
# Prints nothing when everything is in place; fails when a tool cannot be
# installed.
set -euo pipefail
cd "$(dirname "$0")/.."

GO=${GO:-go}
TOOLS=${TOOLS:-$PWD/bin/tools}

# name  package  version
pinned=(
	"staticcheck honnef.co/go/tools/cmd/staticcheck v0.8.2"
)

goversion=$("$GO" env GOVERSION)
for entry in "${pinned[@]}"; do
	read -r name pkg version <<<"$entry"
	bin="$TOOLS/$name"
	if [ -x "$bin" ]; then
		# go version -m: first line "<file>: go1.x.y", then "path", "mod <module> <version> <sum>".
		info=$("$GO" version -m "$bin" 2>/dev/null || true)
		built_with=$(printf '%s\n' "$info" | sed -n '1s/^[^:]*: //p')
		mod_version=$(printf '%s\n' "$info" | awk '$1 == "mod" { print $3; exit }')
		if [ "$built_with" = "$goversion" ] && [ "$mod_version" = "$version" ]; then
			continue
		fi
	fi
	echo "tools: installing $pkg@$version into $TOOLS"
	mkdir -p "$TOOLS"
	GOBIN="$TOOLS" CGO_ENABLED=0 "$GO" install "$pkg@$version"
done
