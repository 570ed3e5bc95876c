package web

import (
	"strconv"
	"unicode/utf8"

	"github.com/heimnetz/heimnetz/limits/oneline"
)

// maxMessage bounds a message quoted from a client or a plugin in an error
// answer or a security event that web reports.
const maxMessage = 512

// jsonReplacement is U+FFFD as a JSON string escape.
const jsonReplacement = `\ufffd`

// cleanJSON returns the JSON text src (as encoding/json writes it) with
// every character oneline forbids replaced by \ufffd inside its strings:
// the raw ones encoding/json passes through (DEL, the C1 controls with
// NEL, bidi formatting) and the escaped ones it writes for C0 controls and
// U+2028/U+2029 (\r, \b, \f, \u00XX, \u2028), which a client would
// decode back into line breaks or a reordered line. The tab stays, and so
// does the line feed escape \n, as oneline.Lines keeps it: a plugin's
// README is a block of lines, and every one-line field (log lines, events,
// errors, names) is cleaned by oneline.Clean where it is made. It returns
// src itself when there is nothing to replace, else a new slice.
func cleanJSON(src []byte) []byte {
	var dst []byte
	last := 0
	replace := func(from, to int) {
		if dst == nil {
			dst = make([]byte, 0, len(src)+16)
		}
		dst = append(dst, src[last:from]...)
		dst = append(dst, jsonReplacement...)
		last = to
	}
	inString := false
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == '"':
			inString = !inString
			i++
		case !inString:
			i++
		case c == '\\' && i+1 < len(src):
			size := 2
			switch src[i+1] {
			case 'r', 'b', 'f':
				replace(i, i+2)
			case 'u':
				size = 6
				if i+6 <= len(src) {
					if r, err := strconv.ParseUint(string(src[i+2:i+6]), 16, 32); err == nil && oneline.Forbidden(rune(r)) {
						replace(i, i+6)
					}
				}
			}
			i += size
		case c < utf8.RuneSelf:
			if oneline.Forbidden(rune(c)) {
				replace(i, i+1)
			}
			i++
		default:
			r, size := utf8.DecodeRune(src[i:])
			if (r == utf8.RuneError && size == 1) || oneline.Forbidden(r) {
				replace(i, i+size)
			}
			i += size
		}
	}
	if dst == nil {
		return src
	}
	return append(dst, src[last:]...)
}
