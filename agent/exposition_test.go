package main

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// exposition is one scrape in the Prometheus text format, as the tests
// that compare scrapes read it: the declared type of each family and its
// samples. Only what a comparison needs is kept (no HELP, no timestamps).
type exposition struct {
	Types   map[string]string // family name -> counter, gauge, untyped, ...
	Samples []expoSample
}

// expoSample is one sample line.
type expoSample struct {
	Name   string
	Labels map[string]string
	Value  float64
}

// maxExpositionLines bounds what parseExposition reads: a scrape of either
// exporter is a few thousand lines.
const maxExpositionLines = 200_000

// parseExposition reads text in the Prometheus text exposition format
// (version 0.0.4). It rejects what the format does not allow in a sample
// line (a bad name, an unterminated label value, an unknown escape, a
// value that is not a float) with the line number; it never panics.
func parseExposition(text string) (exposition, error) {
	e := exposition{Types: map[string]string{}}
	n := 0
	for line := range strings.Lines(text) {
		n++
		if n > maxExpositionLines {
			return e, fmt.Errorf("more than %d lines", maxExpositionLines)
		}
		line = strings.TrimRight(line, "\r\n")
		if strings.TrimSpace(line) == "" {
			continue
		}
		if line[0] == '#' {
			if f := strings.Fields(line); len(f) >= 4 && f[1] == "TYPE" {
				e.Types[f[2]] = f[3]
			}
			continue
		}
		s, err := parseSampleLine(line)
		if err != nil {
			return e, fmt.Errorf("line %d: %w", n, err)
		}
		e.Samples = append(e.Samples, s)
	}
	return e, nil
}

// parseSampleLine reads `name{label="value",...} value [timestamp]`.
func parseSampleLine(line string) (expoSample, error) {
	s := expoSample{Labels: map[string]string{}}
	i := 0
	for i < len(line) && isNameByte(line[i], i == 0, true) {
		i++
	}
	if i == 0 {
		return s, errors.New("no metric name")
	}
	s.Name = line[:i]
	if i < len(line) && line[i] == '{' {
		i++
		for {
			for i < len(line) && line[i] == ' ' {
				i++
			}
			if i < len(line) && line[i] == '}' {
				i++
				break
			}
			start := i
			for i < len(line) && isNameByte(line[i], i == start, false) {
				i++
			}
			if i == start {
				return s, fmt.Errorf("%s: bad label name at byte %d", s.Name, i)
			}
			name := line[start:i]
			if i+1 >= len(line) || line[i] != '=' || line[i+1] != '"' {
				return s, fmt.Errorf("%s: label %s has no =\"", s.Name, name)
			}
			i += 2
			var v strings.Builder
			for {
				if i >= len(line) {
					return s, fmt.Errorf("%s: label %s: unterminated value", s.Name, name)
				}
				c := line[i]
				i++
				if c == '"' {
					break
				}
				if c != '\\' {
					v.WriteByte(c)
					continue
				}
				if i >= len(line) {
					return s, fmt.Errorf("%s: label %s: escape at the end", s.Name, name)
				}
				switch line[i] {
				case '\\', '"':
					v.WriteByte(line[i])
				case 'n':
					v.WriteByte('\n')
				default:
					return s, fmt.Errorf("%s: label %s: unknown escape \\%c", s.Name, name, line[i])
				}
				i++
			}
			if _, dup := s.Labels[name]; dup {
				return s, fmt.Errorf("%s: label %s twice", s.Name, name)
			}
			s.Labels[name] = v.String()
			if i < len(line) && line[i] == ',' {
				i++
			}
		}
	}
	rest := strings.Fields(line[i:])
	if len(rest) == 0 || len(rest) > 2 || (i < len(line) && line[i] != ' ' && line[i] != '\t') {
		return s, fmt.Errorf("%s: want a value and an optional timestamp after the name and labels", s.Name)
	}
	v, err := strconv.ParseFloat(rest[0], 64)
	if err != nil {
		return s, fmt.Errorf("%s: value: %w", s.Name, err)
	}
	if len(rest) == 2 {
		if _, err := strconv.ParseInt(rest[1], 10, 64); err != nil {
			return s, fmt.Errorf("%s: timestamp: %w", s.Name, err)
		}
	}
	s.Value = v
	return s, nil
}

// isNameByte reports whether c may stand in a metric name (colons
// allowed) or a label name, first says whether it is the first byte.
func isNameByte(c byte, first, metric bool) bool {
	return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || !first && '0' <= c && c <= '9' || metric && c == ':'
}

// seriesKey names a series by metric name and labels, leaving out the
// labels in drop: `name{a="1",b="2"}` with the labels sorted.
func seriesKey(s expoSample, drop ...string) string {
	keys := make([]string, 0, len(s.Labels))
	for k := range s.Labels {
		if !slices.Contains(drop, k) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(s.Name)
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "%s=%q", k, s.Labels[k])
	}
	b.WriteByte('}')
	return b.String()
}

func TestParseExposition(t *testing.T) {
	text := "# HELP a_total A.\n# TYPE a_total counter\na_total{plugin=\"p\",dev=\"e\\\"t\\\\h\\n0\"} 12.5\n" +
		"b 1e+11 1700000000000\nc{} NaN\nd{x=\"\",} -Inf\n\n"
	e, err := parseExposition(text)
	if err != nil {
		t.Fatal(err)
	}
	if e.Types["a_total"] != "counter" || len(e.Samples) != 4 {
		t.Fatalf("parsed %+v", e)
	}
	a := e.Samples[0]
	if a.Name != "a_total" || a.Labels["dev"] != "e\"t\\h\n0" || a.Value != 12.5 {
		t.Errorf("sample a: %+v", a)
	}
	if got := seriesKey(a, "plugin"); got != `a_total{dev="e\"t\\h\n0"}` {
		t.Errorf("key %s", got)
	}
	if e.Samples[1].Value != 1e11 || !math.IsNaN(e.Samples[2].Value) || !math.IsInf(e.Samples[3].Value, -1) {
		t.Errorf("values: %+v", e.Samples)
	}
	for _, bad := range []string{
		"{a=\"1\"} 1", "m{a=1} 1", "m{a=\"1} 1", "m{a=\"\\x\"} 1", "m 1 2 3", "m one", "m{a=\"1\",a=\"2\"} 1",
		"m{1a=\"x\"} 1", "m", "m 1 1.5", "m{a=\"1\"}1",
	} {
		if _, err := parseExposition(bad + "\n"); err == nil {
			t.Errorf("%q parsed without an error", bad)
		}
	}
}

// FuzzParseExposition: no input panics, and what parses keeps its
// samples' names valid.
func FuzzParseExposition(f *testing.F) {
	for _, s := range []string{
		"# TYPE a counter\na{b=\"c\"} 1\n", "x 1e3 5\n", "y{z=\"\\\\\\\"\\n\"} +Inf\n", "m{a=\"1\",} 1\n", "m{ a=\"1\" , b=\"2\"} 1\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		e, err := parseExposition(text)
		if err != nil {
			return
		}
		for _, s := range e.Samples {
			if s.Name == "" || !isNameByte(s.Name[0], true, true) {
				t.Fatalf("sample with name %q", s.Name)
			}
			_ = seriesKey(s, "plugin")
		}
	})
}
