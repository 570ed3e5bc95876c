package store

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/heimnetz/heimnetz/limits/oneline"
)

// Redacted replaces every secret that Redact finds.
const Redacted = "[REDACTED]"

// secretName matches the end of a field name that holds a secret, so
// wpa_passphrase, sae_password, client_secret and x-api-key all match.
const secretName = `(?:password|passwd|passphrase|pass|pwd|secret|token|api[_-]?key|apikey|key|psk|auth|credentials?|cookie|session[_-]?id|sid)`

// secretWords are lower-case words one of which a text must hold before
// the name-based rules run; most log lines hold none and skip them.
var secretWords = []string{"pass", "pwd", "secret", "token", "key", "psk", "auth", "credential", "cookie", "session", "sid", "bearer"}

// redactRule replaces submatch group of each match of re with Redacted,
// when veto (if set) does not veto it. A rule runs only when its
// precondition holds: the lower-cased text contains hint, or the text has
// a run of at least 32 characters of the class run accepts.
type redactRule struct {
	re    *regexp.Regexp
	group int
	veto  func(value string) bool
	keep  func(s string, lo, hi int) bool // vetoes a match by its context
	hint  string
	words bool
	run   func(c byte) bool
}

var redactRules = []redactRule{
	// PEM blocks, whole; an unterminated block to the end of the text.
	{re: regexp.MustCompile(`-----BEGIN [A-Z0-9 ]{1,64}-----(?s:.*?)(?:-----END [A-Z0-9 ]{1,64}-----|\z)`), group: 0, hint: "-----begin "},
	// Authorization: Bearer xyz / Basic xyz / a bare credential.
	{re: regexp.MustCompile(`(?i)\b(?:proxy-)?authorization["']?\s*[:=]\s*["']?(?:(?:bearer|basic|digest|token|negotiate)\s+)?([^\s"',;]+)`), group: 1, hint: "authorization"},
	{re: regexp.MustCompile(`(?i)\bbearer\s+([A-Za-z0-9._~+/=-]+)`), group: 1, hint: "bearer"},
	// user:password@ in URLs.
	{re: regexp.MustCompile(`://[^/\s:@]*:([^/\s@]+)@`), group: 1, hint: "://"},
	// UCI: option key 'x', option password "x", option psk x.
	{re: regexp.MustCompile(`(?i)\boption\s+[A-Za-z0-9_.-]*?` + secretName + `\s+('[^']*'|"[^"]*"|\S+)`), group: 1, words: true},
	// name=value, name: value, "name": "value", name = 'value'.
	{re: regexp.MustCompile(`(?i)` + secretName + `["']?\s*[:=]\s*("[^"]*"|'[^']*'|[^\s"',;&]+)`), group: 1, words: true},
	// "token abc123..." and similar: only when the value looks like a
	// credential, so "password changed" stays readable.
	{re: regexp.MustCompile(`(?i)\b(?:token|password|passwd|passphrase|secret|psk|api[_-]?key)\s+([^\s"',;]+)`), group: 1, veto: notCredential, words: true},
	// Long hex runs (raw keys, PSKs as 64 hex digits), except a SHA-256
	// that its text labels as one (a package's content hash).
	{re: regexp.MustCompile(`\b[0-9A-Fa-f]{32,}\b`), group: 0, run: isHex, keep: labelledHash},
	// Long base64 or base64url runs with mixed case and digits.
	{re: regexp.MustCompile(`[A-Za-z0-9+/_-]{32,}={0,2}`), group: 0, veto: notMixed, run: isBase64},
}

// Redact masks what looks like a password, token, key or Wi-Fi PSK in s:
// the values of fields named like secrets (password=..., psk: ...,
// "token": "...", UCI `option key '...'`), credentials in Authorization
// headers and URLs, PEM blocks, and long hex or base64 runs (32 characters
// or more). Each secret becomes Redacted; the field names stay so the text
// still reads. Redact(Redact(s)) == Redact(s).
func Redact(s string) string {
	lower := strings.ToLower(s)
	words := false
	for _, w := range secretWords {
		if strings.Contains(lower, w) {
			words = true
			break
		}
	}
	for _, r := range redactRules {
		switch {
		case r.hint != "" && !strings.Contains(lower, r.hint),
			r.words && !words,
			r.run != nil && !hasRun(s, r.run, 32):
			continue
		}
		s = r.apply(s)
	}
	return s
}

// RedactLine is the text of a log line or an event message as it is kept
// and shown: s is cut to twice max bytes before anything else is done with
// it, redacted (see Redact), then bounded to max bytes and cleaned of
// controls, separators and bidi formatting by oneline.Clean. The result
// never shares memory with s.
func RedactLine(s string, max int) string {
	return oneline.Clean(Redact(clip(s, 2*max)), max)
}

// hasRun reports whether s has n bytes in a row that class accepts.
func hasRun(s string, class func(byte) bool, n int) bool {
	run := 0
	for i := 0; i < len(s); i++ {
		if class(s[i]) {
			if run++; run >= n {
				return true
			}
		} else {
			run = 0
		}
	}
	return false
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func isBase64(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '+' || c == '/' || c == '_' || c == '-'
}

// apply replaces the rule's group in every match.
func (r redactRule) apply(s string) string {
	idx := r.re.FindAllStringSubmatchIndex(s, -1)
	if idx == nil {
		return s
	}
	var b strings.Builder
	last := 0
	for _, m := range idx {
		lo, hi := m[2*r.group], m[2*r.group+1]
		if lo < 0 || lo < last {
			continue
		}
		value := s[lo:hi]
		if quoted(value) {
			lo, hi = lo+1, hi-1
			value = s[lo:hi]
		}
		if value == "" || isMarker(value) || (r.veto != nil && r.veto(value)) || (r.keep != nil && r.keep(s, lo, hi)) {
			continue
		}
		b.WriteString(s[last:lo])
		b.WriteString(Redacted)
		last = hi
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// hashLabels are what a SHA-256 in hex is introduced by where the agent
// names one: its install events ("content hash <hex>"), sha256sum-style
// "sha256:<hex>" and "sha256=<hex>".
var hashLabels = []string{"content hash", "sha256", "sha-256"}

// labelledHash reports whether s[lo:hi] is 64 hex digits (a SHA-256) right
// after one of hashLabels and a space, colon or equals sign. A secret is
// not labelled so, and a hash is public: users compare it with the one
// the package's author published, so it must be shown in full.
func labelledHash(s string, lo, hi int) bool {
	if hi-lo != 64 || lo < 2 {
		return false
	}
	switch s[lo-1] {
	case ' ', ':', '=':
	default:
		return false
	}
	before := strings.ToLower(s[max(0, lo-1-len("content hash")) : lo-1])
	for _, l := range hashLabels {
		if strings.HasSuffix(before, l) {
			return true
		}
	}
	return false
}

// quoted reports whether v is wrapped in a pair of quotes.
func quoted(v string) bool {
	return len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0]
}

// isMarker reports whether v is already a redaction marker.
func isMarker(v string) bool { return v == Redacted }

// notCredential vetoes values that read like words, not credentials:
// shorter than 8 characters, or without a digit, a symbol or mixed case.
func notCredential(v string) bool {
	if len(v) < 8 {
		return true
	}
	var digit, upper, lower, symbol bool
	for _, r := range v {
		switch {
		case unicode.IsDigit(r):
			digit = true
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsLower(r):
			lower = true
		default:
			symbol = true
		}
	}
	return !(digit || symbol || (upper && lower))
}

// notMixed vetoes runs that lack a digit, an upper or a lower case letter
// (paths and long words), so only random-looking runs are masked.
func notMixed(v string) bool {
	if strings.HasPrefix(v, "/") {
		// An absolute path such as /tmp/TestAgent3159047520/001/x: paths
		// are what error messages name, and keys rarely start with a slash.
		return true
	}
	var digit, upper, lower bool
	for _, r := range v {
		switch {
		case r >= '0' && r <= '9':
			digit = true
		case r >= 'A' && r <= 'Z':
			upper = true
		case r >= 'a' && r <= 'z':
			lower = true
		}
	}
	return !(digit && upper && lower)
}
