package testrunner

import (
	"strings"
	"testing"
)

// TestWriteExact pins the whole output of each format for a passing and a
// failing suite: the plan, one line per test and the summary exactly
// once.
func TestWriteExact(t *testing.T) {
	passing := &Report{Plugin: "p", Results: []Result{
		{Name: "test_a", Passed: true, Instructions: 12},
		{Name: "test_b", Passed: true, Instructions: 3},
	}}
	failing := &Report{Plugin: "p", Results: []Result{
		{Name: "test_a", Passed: true, Instructions: 12},
		{Name: "test_b", Message: `test.lua:4: expected "x", got nil`, Logs: []string{"info: hello"}},
		{Name: "test_c", Message: `plugin "p": instruction limit exceeded (1000)`},
	}}
	tests := []struct {
		name, format string
		rep          *Report
		want         string
	}{
		{"tap passing", FormatTAP, passing, `TAP version 13
1..2
ok 1 - test_a
ok 2 - test_b
# 2 passed, 0 failed
`},
		{"tap failing", FormatTAP, failing, `TAP version 13
1..3
ok 1 - test_a
not ok 2 - test_b
  ---
  message: "test.lua:4: expected \"x\", got nil"
  ...
not ok 3 - test_c
  ---
  message: "plugin \"p\": instruction limit exceeded (1000)"
  ...
# 1 passed, 2 failed
`},
		{"text passing", FormatText, passing, `ok   test_a (12 instructions)
ok   test_b (3 instructions)
2 passed, 0 failed
`},
		{"text failing", FormatText, failing, `ok   test_a (12 instructions)
FAIL test_b: test.lua:4: expected "x", got nil
     log info: hello
FAIL test_c: plugin "p": instruction limit exceeded (1000)
1 passed, 2 failed
`},
		{"text default", "", passing, `ok   test_a (12 instructions)
ok   test_b (3 instructions)
2 passed, 0 failed
`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b strings.Builder
			if err := Write(&b, tc.rep, tc.format); err != nil {
				t.Fatal(err)
			}
			if b.String() != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", b.String(), tc.want)
			}
		})
	}
}

// TestWriteJUnitSummaryOnce: the JUnit document carries the summary as
// one trailing comment and nothing after it.
func TestWriteJUnitSummaryOnce(t *testing.T) {
	rep := &Report{Plugin: "p", Results: []Result{{Name: "test_a", Passed: true}, {Name: "test_b", Message: "x"}}}
	var b strings.Builder
	if err := Write(&b, rep, FormatJUnit); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(b.String(), "1 passed, 1 failed"); n != 1 || !strings.HasSuffix(b.String(), "</testsuites>\n<!-- 1 passed, 1 failed -->\n") {
		t.Errorf("summary %d times; document:\n%s", n, b.String())
	}
}

func TestWriteUnknownFormat(t *testing.T) {
	var b strings.Builder
	if err := Write(&b, &Report{}, "xml"); err == nil || b.Len() != 0 {
		t.Errorf("err = %v, wrote %q", err, b.String())
	}
}
