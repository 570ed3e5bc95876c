package web

import (
	"strconv"
	"sync"
	"time"
)

// noiseWindow is how long the noise log counts before it writes its
// summaries.
const noiseWindow = time.Minute

// noiseMaxSources bounds the (event type, client) pairs counted at once;
// clients past it are counted together as "other clients".
const noiseMaxSources = 32

// otherSources is the source that clients past noiseMaxSources share.
const otherSources = "other clients"

// noiseKinds names, per event type, what one occurrence is (singular and
// plural), for the summaries. Only these types are aggregated.
var noiseKinds = map[string][2]string{
	EventTypeLoginFailed:      {"failed admin login", "failed admin logins"},
	EventTypeLoginRateLimited: {"rate-limited login attempt", "rate-limited login attempts"},
	EventTypeCSRF:             {"request refused by the CSRF check", "requests refused by the CSRF check"},
	EventTypeBadToken:         {"rejected API token", "rejected API tokens"},
	EventTypeBadRequest:       {"malformed or refused request", "malformed or refused requests"},
	EventTypeUnauthorized:     {"unauthenticated request to an admin route", "unauthenticated requests to admin routes"},
	EventTypeConnRefused:      {"connection refused by the per-client limit", "connections refused by the per-client limit"},
}

// noiseLog turns floods of events that anyone on the LAN can cause
// (failed logins, bad tokens, CSRF refusals, malformed requests) into
// counted summaries. The first occurrence per event type and client in a
// window is reported at once with its own message; the rest are counted
// and reported as one summary per type and client when the window ends
// ("412 more failed admin logins from 10.0.0.7 in the last 1m0s"), or at
// Shutdown. Nothing is dropped without being counted, memory is bounded
// by noiseMaxSources, and the events reported per window by twice that
// plus the number of types.
type noiseLog struct {
	mu     sync.Mutex
	window time.Duration
	now    func() time.Time
	emit   func(typ, severity, msg string)
	start  time.Time
	counts map[noiseKey]*noiseCount
}

type noiseKey struct{ typ, source string }

type noiseCount struct {
	severity string
	more     uint64 // occurrences after the first in this window
}

func newNoiseLog(window time.Duration, now func() time.Time, emit func(typ, severity, msg string)) *noiseLog {
	return &noiseLog{window: window, now: now, emit: emit, start: now(), counts: make(map[noiseKey]*noiseCount)}
}

// add counts one occurrence of typ from source (a client address); msg is
// the occurrence's own message, reported when it is the first of its kind
// in the window. The summary keeps the highest severity seen.
func (n *noiseLog) add(typ, severity, source, msg string) {
	now := n.now()
	n.mu.Lock()
	due := n.takeDueLocked(now)
	k := noiseKey{typ, source}
	c, ok := n.counts[k]
	if !ok && len(n.counts) >= noiseMaxSources {
		k.source = otherSources
		c, ok = n.counts[k]
	}
	first := !ok
	if first {
		n.counts[k] = &noiseCount{severity: severity}
	} else {
		c.more++
		if severityRank(severity) > severityRank(c.severity) {
			c.severity = severity
		}
	}
	n.mu.Unlock()
	n.report(due)
	if first {
		if k.source == otherSources {
			msg += " (further clients are counted together)"
		}
		n.emit(typ, severity, msg)
	}
}

// flush reports the window's summaries when the window has ended, or at
// once with all set (at Shutdown).
func (n *noiseLog) flush(all bool) {
	now := n.now()
	n.mu.Lock()
	var due []noiseSummary
	if all {
		due = n.takeLocked(now)
	} else {
		due = n.takeDueLocked(now)
	}
	n.mu.Unlock()
	n.report(due)
}

type noiseSummary struct {
	typ, severity, msg string
}

// takeDueLocked takes the summaries of a window that has ended.
func (n *noiseLog) takeDueLocked(now time.Time) []noiseSummary {
	if now.Sub(n.start) < n.window {
		return nil
	}
	return n.takeLocked(now)
}

// takeLocked ends the window: it returns a summary for every type and
// source seen more than once and starts a new window at now.
func (n *noiseLog) takeLocked(now time.Time) []noiseSummary {
	var out []noiseSummary
	span := now.Sub(n.start).Round(time.Second)
	for k, c := range n.counts {
		if c.more == 0 {
			continue
		}
		kind := noiseKinds[k.typ]
		what := kind[1]
		if c.more == 1 {
			what = kind[0]
		}
		out = append(out, noiseSummary{k.typ, c.severity,
			strconv.FormatUint(c.more, 10) + " more " + what + " from " + k.source + " in the last " + span.String()})
	}
	clear(n.counts)
	n.start = now
	return out
}

func (n *noiseLog) report(due []noiseSummary) {
	for _, s := range due {
		n.emit(s.typ, s.severity, s.msg)
	}
}

// severityRank orders the severity names; an unknown name ranks lowest.
func severityRank(s string) int {
	for i, n := range eventSeverities {
		if n == s {
			return i
		}
	}
	return -1
}
