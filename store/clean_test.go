package store

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/heimnetz/heimnetz/limits/oneline"
)

// hostileTexts are values a plugin or a client controls that must come
// out of the store's errors, events and log lines as one bounded line.
var hostileTexts = map[string]string{
	"huge invalid":   strings.Repeat("\xff", 7_500_000),
	"line separator": "a\u2028b",
	"nel":            "a\u0085b",
	"raw c1":         "a\x85b\x9bc",
	"bidi override":  "invoice\u202efdp.exe",
	"isolate":        "x\u2066y\u2069",
	"newline":        "one\ntwo",
	"del":            "x\x7f",
}

// checkOneLine fails unless s is at most max bytes and clean.
func checkOneLine(t *testing.T, what, s string, max int) {
	t.Helper()
	if len(s) > max {
		t.Errorf("%s: %d bytes, want at most %d", what, len(s), max)
	}
	if at, r := oneline.Find(s); at >= 0 {
		t.Errorf("%s holds %U at byte %d: %.80q", what, r, at, s)
	}
}

func TestKVBadKeyErrorsAreBounded(t *testing.T) {
	db := openTest(t, testOptions(t, newTestClock()))
	kv := db.KV("p", DefaultQuota())
	for name, key := range hostileTexts {
		for op, call := range map[string]func() error{
			"set":    func() error { return kv.Set(key, "v") },
			"get":    func() error { _, _, err := kv.Get(key); return err },
			"delete": func() error { return kv.Delete(key) },
		} {
			err := call()
			if !errors.Is(err, ErrBadKey) && !errors.Is(err, ErrKeyTooLong) {
				t.Errorf("%s %s: err = %.200v, want ErrBadKey or ErrKeyTooLong", op, name, err)
				continue
			}
			checkOneLine(t, op+" "+name, err.Error(), 200)
		}
	}
}

func TestEventsAndLogsKeepOneLine(t *testing.T) {
	db := openTest(t, testOptions(t, newTestClock()))
	for name, text := range hostileTexts {
		if _, err := db.AppendEvent(Event{Type: "t" + text, Plugin: "p" + text, Message: text}); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := db.AppendLog("p", "info"+text, text, time.Time{}); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	evs, err := db.Events(len(hostileTexts), 0)
	if err != nil || len(evs) != len(hostileTexts) {
		t.Fatalf("events: %d, %v", len(evs), err)
	}
	for _, e := range evs {
		checkOneLine(t, "event message", e.Message, MaxEventMessage)
		checkOneLine(t, "event type", e.Type, MaxEventType)
		checkOneLine(t, "event plugin", e.Plugin, MaxNameLen)
	}
	lines, err := db.Logs("p", 0)
	if err != nil || len(lines) != len(hostileTexts) {
		t.Fatalf("logs: %d, %v", len(lines), err)
	}
	for _, l := range lines {
		checkOneLine(t, "log line", l.Line, MaxLogLine)
		checkOneLine(t, "log level", l.Level, MaxLogLevel)
	}
}

func TestBadPluginNameErrorsAreBounded(t *testing.T) {
	db := openTest(t, testOptions(t, newTestClock()))
	for name, text := range hostileTexts {
		err := db.AppendLog(text, "info", "x", time.Time{})
		if !errors.Is(err, ErrBadName) {
			t.Errorf("%s: err = %.200v, want ErrBadName", name, err)
			continue
		}
		checkOneLine(t, name, err.Error(), 200)
	}
}
