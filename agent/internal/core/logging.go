package core

import (
	"io"
	"log/slog"

	"github.com/heimnetz/heimnetz/store"
)

// LogLevel is the agent's log level, changeable at run time from the
// settings page.
type LogLevel struct{ slog.LevelVar }

// SetName changes the level from its name (debug, info, warn, error); it
// reports false for an unknown name and leaves the level as it was.
func (l *LogLevel) SetName(name string) bool {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(name)); err != nil {
		return false
	}
	l.Set(lv)
	return true
}

// severityLevel is the log level of an event's line in the agent's log:
// info is INFO, warning WARN, high and critical ERROR, as syslog's
// priorities (syslog_linux.go) rank them info, warning, err and crit.
func severityLevel(sev store.Severity) slog.Level {
	switch {
	case sev >= store.High:
		return slog.LevelError
	case sev == store.Warning:
		return slog.LevelWarn
	}
	return slog.LevelInfo
}

// NewLogger returns the agent's logger at level: logfmt-style text on w
// (procd passes stderr to logd, and from there to syslog).
func NewLogger(w io.Writer, level *LogLevel) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}
