package testrunner

import (
	"encoding/xml"
	"strings"
	"testing"
	"time"
)

// The JUnit document as a reader sees it; the writer does not use these
// types (see writeJUnit).
type junitSuites struct {
	XMLName  xml.Name   `xml:"testsuites"`
	Tests    int        `xml:"tests,attr"`
	Failures int        `xml:"failures,attr"`
	Suites   []junitSet `xml:"testsuite"`
}

type junitSet struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Time     string      `xml:"time,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	ClassName string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitFailure `xml:"failure"`
	SystemOut string        `xml:"system-out"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Text    string `xml:",chardata"`
}

// TestJUnitEscaping checks that names, messages and logs with markup,
// quotes, line breaks, control characters and invalid UTF-8 give a
// document XML readers accept and read back as the original text (with
// what XML cannot carry replaced by U+FFFD).
func TestJUnitEscaping(t *testing.T) {
	tests := []struct{ in, want string }{
		{`plain`, `plain`},
		{`a<b>&"c"'d'`, `a<b>&"c"'d'`},
		{"line1\nline2\r\n\ttab", "line1\nline2\r\n\ttab"},
		{"bell\x07nul\x00", "bell\uFFFDnul\uFFFD"},
		{"bad\xffutf8", "bad\uFFFDutf8"},
		{"ümlaut ✓ 𝄞", "ümlaut ✓ 𝄞"},
		{"\uFFFE", "\uFFFD"},
		{"]]>", "]]>"},
	}
	for _, tc := range tests {
		rep := &Report{Plugin: "p" + tc.in, Results: []Result{
			{Name: "test_" + tc.in, Passed: false, Message: tc.in, Logs: []string{tc.in, "second"}, Duration: 1500 * time.Microsecond},
			{Name: "test_ok", Passed: true},
		}}
		var b strings.Builder
		if err := Write(&b, rep, FormatJUnit); err != nil {
			t.Fatal(err)
		}
		var doc junitSuites
		if err := xml.Unmarshal([]byte(b.String()), &doc); err != nil {
			t.Fatalf("%q: JUnit XML does not parse: %v\n%s", tc.in, err, b.String())
		}
		if doc.Tests != 2 || doc.Failures != 1 || len(doc.Suites) != 1 || len(doc.Suites[0].Cases) != 2 {
			t.Fatalf("%q: document %+v", tc.in, doc)
		}
		s := doc.Suites[0]
		c := s.Cases[0]
		if s.Name != "p"+tc.want || c.Name != "test_"+tc.want || c.ClassName != "p"+tc.want {
			t.Errorf("%q: names %q %q %q", tc.in, s.Name, c.Name, c.ClassName)
		}
		if c.Failure == nil || c.Failure.Message != tc.want || c.Failure.Text != tc.want {
			t.Errorf("%q: failure %+v, want %q", tc.in, c.Failure, tc.want)
		}
		if c.SystemOut != tc.want+"\nsecond" {
			t.Errorf("%q: system-out %q", tc.in, c.SystemOut)
		}
		if c.Time != "0.001500" || s.Time != "0.001500" {
			t.Errorf("%q: times %q %q", tc.in, c.Time, s.Time)
		}
		if s.Cases[1].Failure != nil || s.Cases[1].SystemOut != "" {
			t.Errorf("%q: passing case %+v", tc.in, s.Cases[1])
		}
		if !strings.HasSuffix(b.String(), "</testsuites>\n<!-- 1 passed, 1 failed -->\n") {
			t.Errorf("%q: document does not end with the summary comment:\n%s", tc.in, b.String())
		}
	}
}

func FuzzJUnitEscaping(f *testing.F) {
	for _, s := range []string{"", "a<b", "\x00\xff", "&amp;", "\r\n", "\uFFFF\U0010FFFF"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		rep := &Report{Plugin: s, Results: []Result{{Name: s, Message: s, Logs: []string{s}}}}
		var b strings.Builder
		if err := Write(&b, rep, FormatJUnit); err != nil {
			t.Fatal(err)
		}
		var doc junitSuites
		if err := xml.Unmarshal([]byte(b.String()), &doc); err != nil {
			t.Fatalf("%q: JUnit XML does not parse: %v", s, err)
		}
		if got := doc.Suites[0].Cases[0].Failure.Message; len(got) < len(strings.ToValidUTF8(s, "")) {
			t.Fatalf("%q: message shrank to %q", s, got)
		}
	})
}
