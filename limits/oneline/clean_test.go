package oneline

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// cleanCase is one line of testdata/clean.txt.
type cleanCase struct {
	line     int
	max      int
	in, want string
}

func readCases(t *testing.T) []cleanCase {
	t.Helper()
	f, err := os.Open("testdata/clean.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cases []cleanCase
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.Split(line, "\t")
		if len(parts) != 3 {
			t.Fatalf("clean.txt:%d: want 3 tab-separated fields, have %d", n, len(parts))
		}
		max, err := strconv.Atoi(parts[0])
		if err != nil {
			t.Fatalf("clean.txt:%d: %v", n, err)
		}
		in, err1 := strconv.Unquote(parts[1])
		want, err2 := strconv.Unquote(parts[2])
		if err1 != nil || err2 != nil {
			t.Fatalf("clean.txt:%d: unquote: %v %v", n, err1, err2)
		}
		cases = append(cases, cleanCase{n, max, in, want})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return cases
}

func TestClean(t *testing.T) {
	for _, c := range readCases(t) {
		got := Clean(c.in, c.max)
		if got != c.want {
			t.Errorf("clean.txt:%d: Clean(%q, %d) = %q, want %q", c.line, c.in, c.max, got, c.want)
		}
	}
}

func TestFind(t *testing.T) {
	for _, c := range []struct {
		in   string
		at   int
		rune rune
	}{
		{"fine text äöü", -1, 0},
		{"tab\tx", -1, 0},
		{"vt\vx", 2, '\v'},
		{"a\u2028b", 1, 0x2028},
		{"ab\u202e", 2, 0x202e},
		{"x\x85", 1, utf8.RuneError},
		{"\u0085", 0, 0x85},
		{"x\x7f", 1, 0x7f},
	} {
		at, r := Find(c.in)
		if at != c.at || r != c.rune {
			t.Errorf("Find(%q) = %d, %U; want %d, %U", c.in, at, r, c.at, c.rune)
		}
	}
}

// TestCleanHugeInputIsCheap checks that the work done depends on the bound,
// not on the input: cleaning 8 MiB to 1 KiB must not copy the 8 MiB.
func TestCleanHugeInputIsCheap(t *testing.T) {
	huge := strings.Repeat("\u2028x", 4<<20)
	allocs := testing.AllocsPerRun(5, func() { Clean(huge, 1024) })
	if allocs > 5 {
		t.Errorf("Clean of 8 MiB allocated %v times, want at most 5", allocs)
	}
	got := Clean(huge, 1024)
	if len(got) > 1024 || !strings.HasSuffix(got, " bytes)") {
		t.Errorf("Clean of 8 MiB = %d bytes ending %q", len(got), got[max(0, len(got)-20):])
	}
}

func TestCleanCopies(t *testing.T) {
	src := []byte("plain text that is kept")
	s := string(src)
	got := Clean(s, 100)
	if got != s {
		t.Fatalf("Clean(%q) = %q", s, got)
	}
	if len(got) > 0 && &[]byte(got)[0] == &src[0] {
		t.Fatal("unreachable: conversions copy")
	}
	if strings.Clone(got) != got || unsafeSame(got, s) {
		t.Error("Clean returned the input's memory")
	}
}

func FuzzClean(f *testing.F) {
	for _, s := range []string{"", "a\nb", "\u2028\u202e\x85\xff", "ääää", "tab\tsep"} {
		f.Add(s, 16)
	}
	f.Fuzz(func(t *testing.T, s string, max int) {
		max = max % 4096
		got := Clean(s, max)
		if len(got) > max && max >= 0 {
			t.Fatalf("Clean(%q, %d) = %d bytes", s, max, len(got))
		}
		if !utf8.ValidString(got) {
			t.Fatalf("Clean(%q, %d) = %q is not UTF-8", s, max, got)
		}
		if at, r := Find(got); at >= 0 {
			t.Fatalf("Clean(%q, %d) = %q holds %U at %d", s, max, got, r, at)
		}
		if max >= 3*len(s) && got != Clean(s, 1<<30) {
			t.Fatalf("Clean(%q, %d) = %q cut although every replaced input fits", s, max, got)
		}
	})
}

func TestLines(t *testing.T) {
	for _, c := range []struct {
		in   string
		max  int
		want string
	}{
		{"# Title\n\nText\tand more\n", 64, "# Title\n\nText\tand more\n"},
		{"crlf\r\nline\u2028sep\u202e\x85", 64, "crlf\ufffd\nline\ufffdsep\ufffd\ufffd"},
		{strings.Repeat("line\n", 10), 20, "line\nl…(+44 bytes)"},
	} {
		if got := Lines(c.in, c.max); got != c.want {
			t.Errorf("Lines(%q, %d) = %q, want %q", c.in, c.max, got, c.want)
		}
	}
}
