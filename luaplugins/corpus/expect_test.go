package corpus

import (
	"os"
	"path/filepath"
	"regexp/syntax"
	"strings"
	"testing"
)

func TestCompileSpecific(t *testing.T) {
	for _, tc := range []struct {
		expr string
		want string // "" accepted, else a part of the refusal
	}{
		// Names of limits and exact Lua errors, as the corpus writes them.
		{`instruction limit exceeded \(3000000\)`, ""},
		{`memory limit exceeded`, ""},
		{`time limit exceeded \(2s\)`, ""},
		{`call depth limit exceeded \(64\)`, ""},
		{`lua callstack overflow$`, ""},
		{`error object is a table`, ""},
		{`bad argument #1 to .?char.? \(invalid value\)`, ""},
		{`main\.lua:2: attempt to call a non-function object$`, ""},
		{`main\.lua:2: attempt to index a non-table object\(nil\) with key 'netdev'$`, ""},
		{`^plugin "error-huge-separators": main\.lua:6: (\x{FFFD}){150,171}…\(\+\d+ bytes\)$`, ""},
		{`label name "ifName" may hold only lowercase letters [a|b]`, ""}, // | inside a class is a member
		{`too many results to unpack \(100000000, room for \d+\)`, ""},
		{`invalid option '%\|' to 'format'`, ""},         // an escaped | is a literal
		{`label value "a[]|]b" is not allowed here`, ""}, // ] first in a class is a member, so is the |

		// Vague: any error, a generic word, alternatives, unpinned generic errors.
		{`x`, "literal characters"},
		{`.`, "literal characters"},
		{`.*`, "literal characters"},
		{`error`, "literal characters"},
		{`nil`, "literal characters"},
		{`limit exceeded`, ""}, // 14 literal characters and no generic failure: allowed, if weak
		{`attempt to call|nil`, "offers alternatives"},
		{`instruction limit exceeded|time limit exceeded`, "offers alternatives"},
		{`(instruction|time) limit exceeded`, "offers alternatives"},
		{`call depth limit exceeded|stack overflow`, "offers alternatives"},
		{`attempt to call`, "unrelated failure"},
		{`attempt to call a non-function object`, "unrelated failure"},
		{`main\.lua:\d+: attempt to call a non-function object`, "unrelated failure"},
		{`attempt to index a non-table object`, "unrelated failure"},
		{`attempt to index a nil value`, "unrelated failure"},
		{`cannot perform .* operation`, "unrelated failure"},
		{`bad argument #1 to`, "unrelated failure"},
		{`syntax error`, "unrelated failure"},
		{`error object is a`, "unrelated failure"},
		{`(`, "missing closing )"},
	} {
		re, err := compileSpecific(tc.expr)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: refused: %v", tc.expr, err)
		case tc.want == "" && re == nil:
			t.Errorf("%s: no regexp", tc.expr)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: error %v, want one containing %q", tc.expr, err, tc.want)
		}
	}
}

func TestLiteralLen(t *testing.T) {
	for _, tc := range []struct {
		expr string
		want int
	}{
		{`abc`, 3},
		{`a.c`, 2},
		{`(ab)+c?`, 2},
		{`(ab){3}`, 6},
		{`x*`, 0},
		{`\(2s\)`, 4},
		{`[abc]def`, 3},
	} {
		re, err := syntax.Parse(tc.expr, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		if got := literalLen(re); got != tc.want {
			t.Errorf("literalLen(%s) = %d, want %d", tc.expr, got, tc.want)
		}
	}
}

func TestReadFlat(t *testing.T) {
	root := t.TempDir()
	write := func(rel, text string) {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(root, rel)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, rel), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("b-loop.lua", "-- expect: instruction limit exceeded \\(3000000\\)\nwhile true do end\n")
	write("a-escape.lua", "-- expect: main\\.lua:2: attempt to call a non-function object$\nload('x')()\n")
	write("memory/classed.lua", "-- expect: memory limit exceeded\n")
	write("notes.txt", "-- expect: x\n")
	cases, err := ReadFlat(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) != 2 || cases[0].Name != "a-escape" || cases[1].Name != "b-loop" {
		t.Fatalf("read %+v, want a-escape and b-loop only", cases)
	}
	if c := cases[1]; c.Class != "" || c.Path != filepath.Join(root, "b-loop.lua") || c.Main != c.Path || c.Expect.String() != `instruction limit exceeded \(3000000\)` {
		t.Errorf("b-loop read as %+v", c)
	}

	for _, tc := range []struct{ text, want string }{
		{"-- expect: x\n", "literal characters"},
		{"-- expect: attempt to index|nil\n", "offers alternatives"},
		{"-- expect: ok\n-- stdout: 1\n", "must end with an error"},
		{"-- expect: memory limit exceeded\n-- args: --limit memory=1MiB\n", "class folder"},
		{"-- expect: memory limit exceeded\n-- rss: 10\n", "class folder"},
		{"print(1)\n", "no `-- expect:` line"},
	} {
		root := t.TempDir()
		if err := os.WriteFile(filepath.Join(root, "case.lua"), []byte(tc.text), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := ReadFlat(root); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want one containing %q", tc.text, err, tc.want)
		}
	}
}

// TestHostileCorpusIsSpecific reads the real corpus: every case, classed
// or flat, passes the rules above.
func TestHostileCorpusIsSpecific(t *testing.T) {
	classed, err := Read("../testdata/hostile")
	if err != nil {
		t.Fatal(err)
	}
	flat, err := ReadFlat("../testdata/hostile")
	if err != nil {
		t.Fatal(err)
	}
	if len(classed) < 100 || len(flat) < 50 {
		t.Fatalf("read %d classed and %d flat cases", len(classed), len(flat))
	}
}
