// Package buildinfo holds the version stamped into the binary at build
// time with -ldflags "-X github.com/heimnetz/heimnetz/agent/buildinfo.Version=...".
package buildinfo

import "runtime"

// Version is the release version, set by the build; "dev" for plain go build.
var Version = "dev"

// Commit is the source commit, set by the build.
var Commit = "unknown"

// String returns the one-line version report of `heimnetz version`.
func String() string {
	return "heimnetz " + Version + " (commit " + Commit + ", " + runtime.GOOS + "/" + runtime.GOARCH + ", " + runtime.Version() + ")"
}
