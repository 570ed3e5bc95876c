#!/bin/sh
# qemu-exec.sh is the `go test -exec` program of test.sh: it runs a
# cross-compiled test binary under the user-mode emulator named in
# HEIMNETZ_QEMU (for example qemu-mipsel-static).
if [ -z "$HEIMNETZ_QEMU" ]; then
	echo "qemu-exec.sh: HEIMNETZ_QEMU is not set (run scripts/emulated/test.sh)" >&2
	exit 2
fi
exec "$HEIMNETZ_QEMU" "$@"
