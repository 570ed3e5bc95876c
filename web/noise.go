package web

import (
	"math"
	"math/bits"
	"strconv"
	"sync"
	"time"
)

// NoiseRecorder is implemented by a Backend that keeps noise apart from
// the audit trail. The server reports what anyone on the LAN can cause
// without logging in (failed logins, bad tokens, refused requests and
// their summaries) through NoiseEvent instead of SecurityEvent: the event
// is to be stored as noise, which never evicts an admin action, a login
// or a high or critical event, and it stands for occurrences occurrences
// (1 for one reported on its own, the count for a summary), which the
// backend's counters add so that they count every occurrence. A Backend
// without it gets SecurityEvent, one call per event.
type NoiseRecorder interface {
	NoiseEvent(typ, severity, msg string, occurrences uint64)
}

// noiseEmitter returns how the noise log reports to b.
func noiseEmitter(b Backend) func(typ, severity, msg string, occurrences uint64) {
	if nr, ok := b.(NoiseRecorder); ok {
		return nr.NoiseEvent
	}
	return func(typ, severity, msg string, _ uint64) { b.SecurityEvent(typ, severity, msg) }
}

// noiseWindow is how long the noise log counts before it writes its
// summaries.
const noiseWindow = time.Minute

// noiseMaxSources bounds the (event type, client) pairs counted at once,
// over all types and clients together; clients past it are counted
// together as "other clients", one entry per type. So however many
// addresses a client rotates through (an IPv6 host has plenty), a window
// reports at most noiseMaxSources+len(noiseKinds) events on their own and
// as many summaries: 78 a minute with 7 types.
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
// plus the number of types. The summary of "other clients" estimates how
// many distinct addresses it counts (clientEstimate).
type noiseLog struct {
	mu     sync.Mutex
	window time.Duration
	now    func() time.Time
	emit   func(typ, severity, msg string, occurrences uint64)
	start  time.Time
	counts map[noiseKey]*noiseCount
}

type noiseKey struct{ typ, source string }

type noiseCount struct {
	severity string
	more     uint64          // occurrences after the first in this window
	clients  *clientEstimate // for otherSources only
}

func newNoiseLog(window time.Duration, now func() time.Time, emit func(typ, severity, msg string, occurrences uint64)) *noiseLog {
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
		c = &noiseCount{severity: severity}
		if k.source == otherSources {
			c.clients = new(clientEstimate)
		}
		n.counts[k] = c
	} else {
		c.more++
		if severityRank(severity) > severityRank(c.severity) {
			c.severity = severity
		}
	}
	if c.clients != nil {
		c.clients.add(source)
	}
	n.mu.Unlock()
	n.report(due)
	if first {
		if k.source == otherSources {
			msg += " (further clients are counted together)"
		}
		n.emit(typ, severity, msg, 1)
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
	occurrences        uint64
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
		from := k.source
		if c.clients != nil {
			from += " (" + c.clients.String() + ")"
		}
		out = append(out, noiseSummary{k.typ, c.severity,
			strconv.FormatUint(c.more, 10) + " more " + what + " from " + from + " in the last " + span.String(), c.more})
	}
	clear(n.counts)
	n.start = now
	return out
}

func (n *noiseLog) report(due []noiseSummary) {
	for _, s := range due {
		n.emit(s.typ, s.severity, s.msg, s.occurrences)
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

// clientEstimate estimates how many distinct addresses it was given, in
// 512 bytes whatever their number (linear counting over a 4096-bit map:
// within a few per cent up to about ten thousand addresses, exact in
// practice for a few dozen).
type clientEstimate struct {
	bits [estimateBits / 64]uint64
}

const estimateBits = 4096

func (c *clientEstimate) add(addr string) {
	h := uint64(14695981039346656037) // FNV-1a, inline so that it does not allocate
	for i := 0; i < len(addr); i++ {
		h = (h ^ uint64(addr[i])) * 1099511628211
	}
	i := h % estimateBits
	c.bits[i/64] |= 1 << (i % 64)
}

// String says how many distinct clients were counted.
func (c *clientEstimate) String() string {
	set := 0
	for _, w := range c.bits {
		set += bits.OnesCount64(w)
	}
	zeros := estimateBits - set
	if zeros == 0 {
		return "more than " + strconv.Itoa(int(estimateBits*math.Log(estimateBits))) + " distinct clients"
	}
	n := math.Round(-estimateBits * math.Log(float64(zeros)/estimateBits))
	if n <= 1 {
		return "1 distinct client"
	}
	return "about " + strconv.FormatFloat(n, 'f', 0, 64) + " distinct clients"
}
