package board

import (
	"errors"
	"fmt"
	"iter"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// lines yields the 1-based number and text of each line of s, without the
// line break. A final line without a break is yielded too; a trailing break
// does not add an empty line.
func lines(s string) iter.Seq2[int, string] {
	return func(yield func(int, string) bool) {
		n := 0
		for len(s) > 0 {
			n++
			line, rest, _ := strings.Cut(s, "\n")
			s = rest
			if !yield(n, strings.TrimSuffix(line, "\r")) {
				return
			}
		}
	}
}

// errNotFinite rejects NaN and infinities, which strconv accepts but no
// kernel file contains and encoding/json cannot encode.
var errNotFinite = errors.New("not a finite number")

// parseUint parses a decimal counter.
func parseUint(s string) (uint64, error) {
	v, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, numError(s, err)
	}
	return v, nil
}

// parseInt parses a signed decimal number.
func parseInt(s string) (int64, error) {
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, numError(s, err)
	}
	return v, nil
}

// parseNonNegFloat parses a finite decimal number that is zero or more.
func parseNonNegFloat(s string) (float64, error) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, numError(s, err)
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%q: %w", s, errNotFinite)
	}
	if v < 0 {
		return 0, fmt.Errorf("%q: negative value", s)
	}
	return v, nil
}

// numError shortens strconv's errors to "QUOTED: reason".
func numError(s string, err error) error {
	var ne *strconv.NumError
	if errors.As(err, &ne) {
		return fmt.Errorf("%q: %w", s, ne.Err)
	}
	return fmt.Errorf("%q: %w", s, err)
}

// asciiSpace marks the bytes strings.Fields splits ASCII text at.
var asciiSpace = [256]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// fieldSeq yields the fields of s, split exactly as strings.Fields
// splits them, without allocating for ASCII text.
func fieldSeq(s string) iter.Seq[string] {
	return func(yield func(string) bool) {
		for i := 0; i < len(s); i++ {
			if s[i] >= utf8.RuneSelf {
				for _, f := range strings.Fields(s) { // Unicode spaces
					if !yield(f) {
						return
					}
				}
				return
			}
		}
		start := -1
		for i := 0; i < len(s); i++ {
			switch {
			case !asciiSpace[s[i]]:
				if start < 0 {
					start = i
				}
			case start >= 0:
				if !yield(s[start:i]) {
					return
				}
				start = -1
			}
		}
		if start >= 0 {
			yield(s[start:])
		}
	}
}

// appendFields appends the fields of s (fieldSeq) to dst and returns
// the extended slice. With dst backed by a caller's array, the parsers
// split their lines without allocating (strings.Fields allocates a
// slice per line: a few hundred per collection round).
func appendFields(dst []string, s string) []string {
	for f := range fieldSeq(s) {
		dst = append(dst, f)
	}
	return dst
}

// countFields is len(strings.Fields(s)) without the slice.
func countFields(s string) int {
	n := 0
	for range fieldSeq(s) {
		n++
	}
	return n
}
