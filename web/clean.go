package web

import (
	"unicode/utf8"

	"github.com/heimnetz/heimnetz/oneline"
)

// maxMessage bounds a message quoted from a client or a plugin in an error
// answer or a security event that web reports.
const maxMessage = 512

// jsonReplacement is U+FFFD as a JSON string escape.
const jsonReplacement = `\ufffd`

// cleanJSON returns the JSON text src with every rune that oneline forbids
// replaced by \ufffd: src itself when there is none, else a new slice. encoding/json already escapes C0
// controls and U+2028/U+2029 and replaces invalid UTF-8, but passes DEL,
// the C1 controls (NEL among them) and bidi overrides through raw; none of
// them is JSON syntax, so each can only stand inside a string, where the
// escape is valid.
func cleanJSON(src []byte) []byte {
	var dst []byte
	last := 0
	for i := 0; i < len(src); {
		c := src[i]
		if c < 0x7f {
			i++
			continue
		}
		r, size := utf8.DecodeRune(src[i:])
		if c == 0x7f || (r == utf8.RuneError && size == 1) || oneline.Forbidden(r) {
			dst = append(dst, src[last:i]...)
			dst = append(dst, jsonReplacement...)
			last = i + size
		}
		i += size
	}
	if dst == nil {
		return src
	}
	return append(dst, src[last:]...)
}
