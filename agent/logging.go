package main

import (
	"io"
	"log/slog"
)

// logLevel is the agent's log level, changeable at run time from the
// settings page.
type logLevel struct{ slog.LevelVar }

var levelVar logLevel

// set changes the level from its name; it reports false for an unknown name.
func (l *logLevel) set(name string) bool {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(name)); err != nil {
		return false
	}
	l.Set(lv)
	return true
}

// newLogger returns the agent's logger: logfmt-style text on w (procd
// passes stderr to logd, and from there to syslog).
func newLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: &levelVar}))
}
