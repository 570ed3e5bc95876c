package fasthttp

import (
	"errors"
	"time"
	"unicode/utf8"
)

// heimnetz patch: fasthttp used net/http for two small things; these
// replace them so net/http is not linked (see PATCHES.md).

// errBadHTTPDate is returned for a date in none of the three HTTP formats.
var errBadHTTPDate = errors.New("fasthttp: date is not in an HTTP date format")

// parseObsoleteHTTPDate parses the formats RFC 9110 section 5.6.7 asks
// recipients to accept besides IMF-fixdate, as net/http.ParseTime does:
// IMF-fixdate with any zone name, RFC 850 and ANSI C asctime().
func parseObsoleteHTTPDate(s string) (time.Time, error) {
	for _, layout := range []string{"Mon, 02 Jan 2006 15:04:05 GMT", time.RFC850, time.ANSIC} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, errBadHTTPDate
}

// sniffContentType guesses the type of a file whose extension has no
// registered MIME type from its first bytes. Unlike net/http's full
// sniffing table it tells only text from binary: UTF-8 text without NUL
// bytes is text/plain, HTML-looking text is text/html, anything else is
// application/octet-stream. heimnetz serves no files through fasthttp.FS.
func sniffContentType(data []byte) string {
	for _, c := range data {
		if c == 0 {
			return "application/octet-stream"
		}
	}
	if !utf8.Valid(data) {
		// The header may end inside a multi-byte rune.
		trimmed := data
		for i := 0; i < utf8.UTFMax && len(trimmed) > 0 && !utf8.Valid(trimmed); i++ {
			trimmed = trimmed[:len(trimmed)-1]
		}
		if !utf8.Valid(trimmed) {
			return "application/octet-stream"
		}
	}
	start := 0
	for start < len(data) && (data[start] == ' ' || data[start] == '\t' || data[start] == '\n' || data[start] == '\r') {
		start++
	}
	if len(data)-start >= 5 && (data[start] == '<') {
		head := string(data[start:min(len(data), start+14)])
		for _, p := range []string{"<!DOCTYPE HTML", "<!doctype html", "<html", "<HTML", "<head", "<body"} {
			if len(head) >= len(p) && head[:len(p)] == p {
				return "text/html; charset=utf-8"
			}
		}
	}
	return "text/plain; charset=utf-8"
}
