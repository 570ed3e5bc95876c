package oneline

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Replacement is what a control character or an invalid byte becomes.
const Replacement = '\uFFFD'

// Forbidden reports whether r may not appear in a cleaned string: a C0
// control other than the tab, DEL, a C1 control, a line or paragraph
// separator, or an invisible format character (Unicode category Cf: the
// bidirectional marks, embeddings, overrides and isolates, soft hyphen,
// zero-width space, byte order mark, interlinear annotations, tag
// characters, ...) other than the zero-width joiner and non-joiner, which
// emoji sequences and several scripts need and which neither split a line
// nor reorder text. utf8.RuneError, standing for an invalid byte, is left
// to the callers, which tell it from a real U+FFFD by its size.
func Forbidden(r rune) bool {
	switch {
	case r == '\t':
		return false
	case r < 0x20, r >= 0x7f && r <= 0x9f:
		return true
	case r < 0xad:
		return false
	case r == 0x2028, r == 0x2029:
		return true
	case r == 0x200c, r == 0x200d:
		return false
	}
	return unicode.Is(unicode.Cf, r)
}

// Find returns the byte offset and the rune of the first forbidden rune or
// invalid byte in s (an invalid byte is reported as utf8.RuneError), or -1
// when s is clean. Validators use it to refuse what Clean would replace.
func Find(s string) (int, rune) {
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x7f || c == '\t' {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || Forbidden(r) {
			return i, r
		}
		i += size
	}
	return -1, 0
}

// Clean returns s cut to at most max bytes and cleaned of controls,
// separators, bidi formatting and invalid UTF-8 as the package doc states.
// Its work is proportional to max, not to len(s), so a huge string costs
// no more than a short one. The result is always a new string.
func Clean(s string, max int) string {
	return clean(s, max, false)
}

// Lines is Clean for a text made of lines, such as a plugin's README shown
// on its page: the line feed stays, everything else Clean replaces is
// replaced. Use it only where the text is shown as a block, never inside a
// log line or an event.
func Lines(s string, max int) string {
	return clean(s, max, true)
}

// clean is Clean, keeping line feeds when lines is set.
func clean(s string, max int, lines bool) string {
	if max < 0 {
		max = 0
	}
	var b strings.Builder
	b.Grow(min(len(s), max) + 8)
	if n := write(&b, s, max, lines); n == len(s) {
		return b.String()
	}
	marker := Marker(len(s))
	if len(marker) > max {
		return ""
	}
	b.Reset()
	b.Grow(max)
	n := write(&b, s, max-len(marker), lines)
	b.WriteString(Marker(len(s) - n))
	return b.String()
}

// Marker is the text Clean appends when it cuts, naming the n input bytes
// it left out.
func Marker(n int) string {
	return "…(+" + strconv.Itoa(n) + " bytes)"
}

// write appends the cleaned prefix of s that fits in max bytes to b and
// returns how many bytes of s it consumed; lines keeps line feeds.
func write(b *strings.Builder, s string, max int, lines bool) int {
	i := 0
	for i < len(s) {
		c := s[i]
		if c >= 0x20 && c < 0x7f || c == '\t' || (lines && c == '\n') {
			if b.Len()+1 > max {
				return i
			}
			b.WriteByte(c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		out, outSize := r, size
		if (r == utf8.RuneError && size == 1) || Forbidden(r) {
			out, outSize = Replacement, utf8.RuneLen(Replacement)
		}
		if b.Len()+outSize > max {
			return i
		}
		b.WriteRune(out)
		i += size
	}
	return i
}
