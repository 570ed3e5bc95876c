package check

import (
	"fmt"
	"net/netip"
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/yuin/gopher-lua/ast"

	"github.com/heimnetz/heimnetz/luaplugins"
)

// maxLiteralBytes is the size above which a string literal is reported.
const maxLiteralBytes = 64 << 10

// maxRepBytes is the size of a string.rep result above which it is
// reported: it is a large share of the default 8 MiB memory limit.
const maxRepBytes = 1 << 20

// literalRegexps are the checker's compiled patterns. They are compiled
// on first use: the agent links the checker (an install is checked before
// it is accepted) but runs it rarely, and compiling them at start-up would
// cost every running agent ~47 KB of heap.
type literalRegexps struct {
	// secrets are literal shapes that are credentials whatever the
	// variable is called.
	secrets []secretPattern
	// secretName matches variable and field names that hold secrets.
	secretName *regexp.Regexp
	// placeholder matches values that are not secrets.
	placeholder *regexp.Regexp
	// url finds http(s) URLs and their hosts; host matches a bare IP
	// address or prefix.
	url, host *regexp.Regexp
}

// secretPattern is one credential shape and what to call it.
type secretPattern struct {
	what string
	re   *regexp.Regexp
}

// patterns returns the compiled patterns, compiling them the first time.
var patterns = sync.OnceValue(func() *literalRegexps {
	return &literalRegexps{
		secrets: []secretPattern{
			{"a private key", regexp.MustCompile(`-----BEGIN [A-Z ]*PRIVATE KEY-----`)},
			{"an AWS access key", regexp.MustCompile(`\b(?:AKIA|ASIA)[0-9A-Z]{16}\b`)},
			{"a GitHub token", regexp.MustCompile(`\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})`)},
			{"a Slack token", regexp.MustCompile(`\bxox[abposr]-[A-Za-z0-9-]{10,}`)},
			{"a Stripe key", regexp.MustCompile(`\b[sr]k_live_[A-Za-z0-9]{16,}`)},
			{"a Google API key", regexp.MustCompile(`\bAIza[0-9A-Za-z_-]{35}\b`)},
			{"a JSON web token", regexp.MustCompile(`\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}`)},
			{"a bearer credential", regexp.MustCompile(`(?i)\b(?:bearer|basic)\s+[A-Za-z0-9._~+/=-]{16,}`)},
			{"a password in a URL", regexp.MustCompile(`://[^/\s:@]+:[^/\s@]+@`)},
		},
		secretName:  regexp.MustCompile(`(?i)(password|passwd|passphrase|secret|token|api_?key|apikey|private_?key|psk|credential|auth)`),
		placeholder: regexp.MustCompile(`(?i)^(|x+|\*+|changeme|change-me|your[_ -].*|<.*>|\$\{.*\}|example|none|null|nil|todo|test|dummy)$`),
		url:         regexp.MustCompile(`(?i)\b(https?)://(\[[0-9a-f:.]+\]|[a-z0-9.-]+)`),
		host:        regexp.MustCompile(`^(?:\d{1,3}\.){3}\d{1,3}(?:/\d{1,2})?$|^[0-9a-fA-F:]*:[0-9a-fA-F:.]*(?:/\d{1,3})?$`),
	}
})

// literal checks one string literal on its own.
func (c *chunk) literal(e *ast.StringExpr) {
	v := e.Value
	line := e.Line()
	if len(v) > maxLiteralBytes {
		c.add(RuleOversizedLiteral, Medium, line, 1, fmt.Sprintf("string literal of %d bytes (more than %d)", len(v), maxLiteralBytes), "")
	}
	for _, p := range patterns().secrets {
		if p.re.MatchString(v) {
			c.add(RuleSecret, High, line, c.litCol(line, v), "string literal looks like "+p.what, "")
			break
		}
	}
	c.network(v, line)
}

// litCol finds a literal's column from its first characters.
func (c *chunk) litCol(line int, v string) int {
	text := c.lineText(line)
	probe := v
	if len(probe) > 12 {
		probe = probe[:12]
	}
	if i := strings.Index(text, probe); probe != "" && i >= 0 {
		return max(i, 1) // the quote before it
	}
	return 1
}

// secretAssign reports name = "literal" where name says it is a secret.
func (c *chunk) secretAssign(name string, value ast.Expr) {
	s, ok := value.(*ast.StringExpr)
	if !ok || !patterns().secretName.MatchString(name) {
		return
	}
	v := strings.TrimSpace(s.Value)
	if len(v) < 8 || patterns().placeholder.MatchString(v) || strings.ContainsAny(v, " \t\n") {
		return
	}
	c.add(RuleSecret, High, s.Line(), c.col(s.Line(), name), fmt.Sprintf("%s is set to a literal that looks like a secret", name), "")
}

// network reports plain-HTTP URLs and private, loopback or link-local
// targets, as a URL host or as a bare address or prefix literal (the form
// an allowlist takes).
func (c *chunk) network(v string, line int) {
	for _, m := range patterns().url.FindAllStringSubmatch(v, 4) {
		scheme, host := strings.ToLower(m[1]), strings.Trim(m[2], "[]")
		if why := privateHost(host); why != "" {
			c.add(RuleNetworkTarget, Medium, line, c.litCol(line, v), fmt.Sprintf("URL targets %s (%s)", host, why), "")
			return
		}
		if scheme == "http" {
			c.add(RuleNetworkTarget, Medium, line, c.litCol(line, v), "plain-HTTP URL "+clipText(m[0], 60)+": traffic and credentials travel unencrypted", "")
			return
		}
	}
	t := strings.TrimSpace(v)
	if len(t) <= 43 && patterns().host.MatchString(t) {
		host, _, _ := strings.Cut(t, "/")
		if why := privateHost(host); why != "" {
			c.add(RuleNetworkTarget, Medium, line, c.litCol(line, v), fmt.Sprintf("address %s is %s", t, why), "")
		}
	}
}

// privateHost says why host is not a public target, or "".
func privateHost(host string) string {
	h := strings.ToLower(host)
	if h == "localhost" || strings.HasSuffix(h, ".localhost") || strings.HasSuffix(h, ".lan") || strings.HasSuffix(h, ".local") || strings.HasSuffix(h, ".home.arpa") {
		return "a local name"
	}
	a, err := netip.ParseAddr(h)
	if err != nil {
		return ""
	}
	switch {
	case a.IsLoopback():
		return "a loopback address"
	case a.IsPrivate():
		return "a private-range address"
	case a.IsLinkLocalUnicast():
		return "a link-local address"
	case a.IsUnspecified():
		return "the unspecified address"
	}
	return ""
}

func clipText(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// pattern reports a literal pattern with several unanchored wildcards.
func (c *chunk) pattern(e ast.Expr, line int) {
	s, ok := e.(*ast.StringExpr)
	if !ok {
		return
	}
	if n := wildcards(s.Value); n >= 2 {
		c.add(RuleCostlyString, Medium, line, c.litCol(line, s.Value), fmt.Sprintf("pattern %q has %d wildcard runs (.-, .*, .+); matching backtracks and grows with the input", clipText(s.Value, 40), n), "")
	}
}

// wildcards counts unescaped ".-", ".*" and ".+" in a Lua pattern.
func wildcards(p string) int {
	n := 0
	for i := 0; i+1 < len(p); i++ {
		switch {
		case p[i] == '%':
			i++ // escaped character
		case p[i] == '.' && (p[i+1] == '-' || p[i+1] == '*' || p[i+1] == '+'):
			n++
			i++
		}
	}
	return n
}

// rep reports string.rep(s, n) with a literal n whose result is large.
func (c *chunk) rep(str, count ast.Expr, line int) {
	n, ok := number(count)
	if !ok {
		return
	}
	size := 1
	if s, ok := str.(*ast.StringExpr); ok {
		size = max(len(s.Value), 1)
	}
	if n*float64(size) > maxRepBytes {
		c.add(RuleCostlyString, Medium, line, c.peek(line, "rep"), fmt.Sprintf("string.rep builds about %.0f bytes; the default memory limit is 8 MiB", n*float64(size)), "")
	}
}

// metricName checks a literal metric name passed to metrics.set or .add
// with the runtime's own rule: what the runtime refuses is a high finding.
func (c *chunk) metricName(fn, name string, line int) {
	kind := luaplugins.KindGauge
	if fn == "metrics.add" {
		kind = luaplugins.KindCounter
	}
	if err := luaplugins.ValidateMetricName(name, kind); err != nil {
		c.add(RuleMetricName, High, line, c.litCol(line, name), fmt.Sprintf("%s refuses this name: %v", fn, err), "rename the metric (see the naming rules in `heimnetz docs`)")
	}
}

// labelNames checks the literal label names of a table constructor
// passed to metrics.set or .add, with the runtime's own rule.
func (c *chunk) labelNames(fn string, t *ast.TableExpr, line int) {
	if len(t.Fields) > luaplugins.MaxLabels {
		c.add(RuleMetricName, High, line, c.peek(line, "metrics"), fmt.Sprintf("%s refuses more than %d labels; this call passes %d", fn, luaplugins.MaxLabels, len(t.Fields)), "drop labels")
	}
	for _, f := range t.Fields {
		k, ok := f.Key.(*ast.StringExpr)
		if !ok {
			continue
		}
		if err := luaplugins.ValidateLabelName(k.Value); err != nil {
			c.add(RuleMetricName, High, line, c.peek(line, k.Value), fmt.Sprintf("%s refuses this label: %v", fn, err), "rename the label")
		}
		if v, ok := f.Value.(*ast.StringExpr); ok && !utf8.ValidString(v.Value) {
			c.add(RuleMetricName, High, line, c.peek(line, k.Value), fmt.Sprintf("%s refuses the value of label %s: it is not valid UTF-8", fn, clipText(k.Value, 40)), "")
		}
	}
}
