package web

import (
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/valyala/bytebufferpool"

	"github.com/heimnetz/heimnetz/limits/oneline"
)

// The pages are written by plain Go code rather than html/template: the
// template engine calls methods by name through reflection, which makes
// the linker keep every exported method of every type reachable through
// an interface and cost the router binary about 5 MB.
//
// htmlWriter keeps that code safe by construction. Markup goes in only
// through raw, whose argument has the type markup: an untyped string
// constant converts to it silently, a string variable does not, so a value
// from a plugin or the device cannot reach the page unescaped without a
// visible conversion. Everything else goes through text, attr or
// pathSegment, which escape.

// markup is trusted literal HTML written by this package's own code.
type markup string

// htmlWriter appends a page to a pooled buffer.
type htmlWriter struct {
	b *bytebufferpool.ByteBuffer
}

// raw writes trusted literal markup.
//
// raw and text are called at hundreds of places; inlined, each call site
// carries its own copy of append's growth path, which made the page code
// about three times larger on mipsle for no measurable gain in speed.
//
//go:noinline
func (w htmlWriter) raw(m markup) {
	w.b.B = append(w.b.B, m...)
}

// text writes s escaped for element content and quoted attribute values.
//
//go:noinline
func (w htmlWriter) text(s string) {
	w.b.B = appendEscaped(w.b.B, s)
}

// lines writes a text made of lines (a plugin's README) escaped as text
// does, each line feed kept: the one control a block of text may hold.
func (w htmlWriter) lines(s string) {
	for {
		line, rest, more := strings.Cut(s, "\n")
		w.b.B = appendEscaped(w.b.B, line)
		if !more {
			return
		}
		w.b.B = append(w.b.B, '\n')
		s = rest
	}
}

// attr writes ` name="value"` with the value escaped.
func (w htmlWriter) attr(name markup, value string) {
	w.b.B = append(w.b.B, ' ')
	w.b.B = append(w.b.B, name...)
	w.b.B = append(w.b.B, '=', '"')
	w.b.B = appendEscaped(w.b.B, value)
	w.b.B = append(w.b.B, '"')
}

// pathSegment writes s as one escaped URL path segment inside a quoted
// attribute: "/" and "?" in s cannot change which page a link leads to.
func (w htmlWriter) pathSegment(s string) {
	w.b.B = appendEscaped(w.b.B, url.PathEscape(s))
}

// int writes a decimal integer.
func (w htmlWriter) int(n int64) {
	w.b.B = strconv.AppendInt(w.b.B, n, 10)
}

// uint writes a decimal unsigned integer.
func (w htmlWriter) uint(n uint64) {
	w.b.B = strconv.AppendUint(w.b.B, n, 10)
}

// fixed writes v with prec digits after the point, as "%.Nf" does.
func (w htmlWriter) fixed(v float64, prec int) {
	w.b.B = strconv.AppendFloat(w.b.B, v, 'f', prec, 64)
}

// stamp writes t formatted with layout, escaped: a zone abbreviation
// comes from the device's TZ setting.
func (w htmlWriter) stamp(t time.Time, layout string) {
	var tmp [64]byte
	w.b.B = appendEscaped(w.b.B, t.AppendFormat(tmp[:0], layout))
}

// escapeTable maps the ASCII bytes that need escaping to their
// replacement: the set html/template escaped in text and quoted attributes,
// plus every control oneline forbids becoming U+FFFD.
var escapeTable = func() (t [256]string) {
	for c := 0; c < 0x80; c++ {
		if oneline.Forbidden(rune(c)) {
			t[c] = "\uFFFD"
		}
	}
	t['"'], t['&'], t['\''], t['<'], t['>'] = "&#34;", "&amp;", "&#39;", "&lt;", "&gt;"
	return t
}()

// appendEscaped appends s to b with &, <, >, both quotes escaped and every
// rune oneline forbids (controls, C1, line separators, bidi formatting,
// invalid UTF-8) replaced by U+FFFD, so one value shows as one line that
// reads left to right.
func appendEscaped[S ~string | ~[]byte](b []byte, s S) []byte {
	last := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < 0x80 {
			if r := escapeTable[c]; r != "" {
				b = append(b, s[last:i]...)
				b = append(b, r...)
				last = i + 1
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(string(s[i:min(i+utf8.UTFMax, len(s))]))
		if (r == utf8.RuneError && size == 1) || oneline.Forbidden(r) {
			b = append(b, s[last:i]...)
			b = append(b, "\uFFFD"...)
			last = i + size
		}
		i += size
	}
	return append(b, s[last:]...)
}
