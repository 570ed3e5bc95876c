package push

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Label is one label the pusher adds to every sample.
type Label struct {
	Name, Value string
}

// MaxLabels is the most extra labels a pusher adds.
const MaxLabels = 32

// maxLabelValue bounds an extra label's value in bytes.
const maxLabelValue = 1024

// CheckLabel reports why name=value cannot be added to every sample: the
// name must be a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*) not
// starting with __ (reserved for the receiver), the value non-empty UTF-8
// of at most 1024 bytes without control characters.
func CheckLabel(name, value string) error {
	if !validLabelName(name) {
		return fmt.Errorf("label name %q: want [a-zA-Z_][a-zA-Z0-9_]*", name)
	}
	if strings.HasPrefix(name, "__") {
		return fmt.Errorf("label name %q: names starting with __ are the receiver's", name)
	}
	switch {
	case value == "":
		return fmt.Errorf("label %s: empty value", name)
	case len(value) > maxLabelValue:
		return fmt.Errorf("label %s: value longer than %d bytes", name, maxLabelValue)
	case !utf8.ValidString(value):
		return fmt.Errorf("label %s: value is not UTF-8", name)
	case strings.ContainsFunc(value, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		return fmt.Errorf("label %s: value holds a control character", name)
	}
	return nil
}

// SortedLabels returns the labels of m sorted by name, each checked with
// CheckLabel.
func SortedLabels(m map[string]string) ([]Label, error) {
	if len(m) > MaxLabels {
		return nil, fmt.Errorf("%d labels: at most %d", len(m), MaxLabels)
	}
	out := make([]Label, 0, len(m))
	for name, value := range m {
		if err := CheckLabel(name, value); err != nil {
			return nil, err
		}
		out = append(out, Label{Name: name, Value: value})
	}
	slices.SortFunc(out, func(a, b Label) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

func validLabelName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9' {
			continue
		}
		return false
	}
	return true
}

// errBadLine is a sample line appendSamples cannot read; it skips it.
var errBadLine = errors.New("malformed sample line")

// appendSamples appends the samples of a Prometheus text exposition to
// dst, one line each, with the extra labels added (replacing a label of
// the same name the sample had: the owner's instance and site name the
// router, whatever a plugin exported) and the timestamp ms (Unix
// milliseconds) appended unless the sample carries its own. Comments and
// blank lines are left out; a line it cannot read is skipped and counted
// in bad. It returns dst extended and the number of samples written.
func appendSamples(dst, text []byte, extra []Label, ms int64) (out []byte, samples, bad int) {
	for len(text) > 0 {
		var line []byte
		if i := bytes.IndexByte(text, '\n'); i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			line, text = text, nil
		}
		line = bytes.TrimRight(line, " \t\r")
		line = bytes.TrimLeft(line, " \t")
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		n := len(dst)
		var err error
		dst, err = appendSample(dst, line, extra, ms)
		if err != nil {
			dst = dst[:n]
			bad++
			continue
		}
		samples++
	}
	return dst, samples, bad
}

// appendSample appends one sample line, rewritten as appendSamples says.
func appendSample(dst, line []byte, extra []Label, ms int64) ([]byte, error) {
	i := 0
	for i < len(line) && line[i] != '{' && line[i] != ' ' && line[i] != '\t' {
		i++
	}
	name := line[:i]
	if !validMetricName(name) {
		return dst, errBadLine
	}
	dst = append(dst, name...)
	dst = append(dst, '{')
	sep := false
	rest := line[i:]
	if len(rest) > 0 && rest[0] == '{' {
		rest = rest[1:]
		for {
			rest = bytes.TrimLeft(rest, " \t")
			if len(rest) == 0 {
				return dst, errBadLine
			}
			if rest[0] == '}' {
				rest = rest[1:]
				break
			}
			j := bytes.IndexByte(rest, '=')
			if j <= 0 {
				return dst, errBadLine
			}
			lname := bytes.TrimRight(rest[:j], " \t")
			if !validLabelName(string(lname)) {
				return dst, errBadLine
			}
			rest = bytes.TrimLeft(rest[j+1:], " \t")
			if len(rest) == 0 || rest[0] != '"' {
				return dst, errBadLine
			}
			// The quoted value, with \\, \" and \n escapes.
			k := 1
			for k < len(rest) && rest[k] != '"' {
				if rest[k] == '\\' {
					k++
				}
				k++
			}
			if k >= len(rest) {
				return dst, errBadLine
			}
			quoted := rest[:k+1]
			rest = bytes.TrimLeft(rest[k+1:], " \t")
			if len(rest) > 0 && rest[0] == ',' {
				rest = rest[1:]
			} else if len(rest) == 0 || rest[0] != '}' {
				return dst, errBadLine
			}
			if replaced(extra, lname) {
				continue
			}
			if sep {
				dst = append(dst, ',')
			}
			dst = append(dst, lname...)
			dst = append(dst, '=')
			dst = append(dst, quoted...)
			sep = true
		}
	}
	for _, l := range extra {
		if sep {
			dst = append(dst, ',')
		}
		dst = append(dst, l.Name...)
		dst = append(dst, '=')
		dst = appendQuoted(dst, l.Value)
		sep = true
	}
	dst = append(dst, '}')
	// The value and an optional timestamp of its own, after a blank.
	if len(rest) == 0 || (rest[0] != ' ' && rest[0] != '\t') {
		return dst, errBadLine
	}
	value, rest := nextField(rest)
	ts, rest := nextField(rest)
	if len(value) == 0 || len(bytes.TrimLeft(rest, " \t")) > 0 {
		return dst, errBadLine
	}
	if _, err := strconv.ParseFloat(string(value), 64); err != nil {
		return dst, errBadLine
	}
	dst = append(dst, ' ')
	dst = append(dst, value...)
	dst = append(dst, ' ')
	if len(ts) > 0 {
		if _, err := strconv.ParseInt(string(ts), 10, 64); err != nil {
			return dst, errBadLine
		}
		dst = append(dst, ts...)
	} else {
		dst = strconv.AppendInt(dst, ms, 10)
	}
	return append(dst, '\n'), nil
}

// nextField returns the first field of b after blanks and what follows it.
func nextField(b []byte) (field, rest []byte) {
	b = bytes.TrimLeft(b, " \t")
	i := 0
	for i < len(b) && b[i] != ' ' && b[i] != '\t' {
		i++
	}
	return b[:i], b[i:]
}

// replaced reports whether an extra label has the name name.
func replaced(extra []Label, name []byte) bool {
	for _, l := range extra {
		if l.Name == string(name) {
			return true
		}
	}
	return false
}

// validMetricName reports whether b is a metric name
// ([a-zA-Z_:][a-zA-Z0-9_:]*).
func validMetricName(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for i, c := range b {
		if c == '_' || c == ':' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9' {
			continue
		}
		return false
	}
	return true
}

// appendQuoted appends s as a quoted label value of the text format.
func appendQuoted(dst []byte, s string) []byte {
	dst = append(dst, '"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			dst = append(dst, `\\`...)
		case '"':
			dst = append(dst, `\"`...)
		case '\n':
			dst = append(dst, `\n`...)
		default:
			dst = append(dst, c)
		}
	}
	return append(dst, '"')
}
