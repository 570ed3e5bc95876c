package corpus

import (
	"fmt"
	"regexp"
	"regexp/syntax"
)

// MinLiteral is the fewest literal characters an expectation must require:
// "memory limit" is 12, so every limit's name passes, while "error", "nil"
// or ".*limit" do not.
const MinLiteral = 12

// unrelatedFailures are error texts that any bug in a case produces, as
// gopher-lua words them (and reference Lua 5.1 for the first few). An
// expectation that matches one of them would pass for a case that failed
// for another reason than its attack, unless it pins the source line the
// case fails at (see probes).
var unrelatedFailures = []string{
	"attempt to call a non-function object",
	"attempt to call a nil value",
	"attempt to index a non-table object(nil) with key 'x'",
	"attempt to index a nil value",
	"attempt to perform arithmetic on a nil value",
	"attempt to concatenate a nil value",
	"attempt to compare number with nil",
	"cannot perform add operation between nil and number",
	"cannot perform concat operation between string and nil",
	"bad argument #1 to rep (string expected, got nil)",
	"for statement limit must be a number",
	"assertion failed!",
	"error object is a nil",
	"__len undefined",
	"main.lua line:1(column:11) near '=':   syntax error",
}

// probes are the lines an unrelated failure prints: bare, as `plugin run`
// reports it, and at a source position no case has.
func probes() []string {
	out := []string{"", "x", "error", "nil"}
	for _, f := range unrelatedFailures {
		out = append(out, f, `plugin "probe": `+f, `plugin "probe": main.lua:99999: `+f)
	}
	return out
}

// compileSpecific compiles a case's expectation and refuses one that could
// pass for a failure the case is not about: it must offer no alternatives,
// require at least MinLiteral literal characters, and match none of the
// unrelated failures (a case about such an error pins its line, as in
// `main\.lua:2: attempt to call a non-function object`).
func compileSpecific(expr string) (*regexp.Regexp, error) {
	re, err := regexp.Compile(expr)
	if err != nil {
		return nil, err
	}
	if hasAlternation(expr) {
		return nil, fmt.Errorf("%q offers alternatives (|): a case names the one limit or Lua error it is about; "+
			"if another limit could end it first, raise that one with `-- args: --limit ...`", expr)
	}
	parsed, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return nil, err
	}
	if n := literalLen(parsed); n < MinLiteral {
		return nil, fmt.Errorf("%q requires %d literal characters, fewer than %d: name the limit or quote the Lua error", expr, n, MinLiteral)
	}
	for _, p := range probes() {
		if re.MatchString(p) {
			return nil, fmt.Errorf("%q also matches the unrelated failure %q: name the limit or the Lua error, or pin the line the case fails at (main\\.lua:N:)", expr, p)
		}
	}
	return re, nil
}

// hasAlternation reports whether expr holds a | that is neither escaped
// nor inside a character class.
func hasAlternation(expr string) bool {
	inClass := false
	for i := 0; i < len(expr); i++ {
		switch c := expr[i]; {
		case c == '\\':
			i++ // the escaped character
		case inClass:
			if c == ']' {
				inClass = false
			}
		case c == '[':
			inClass = true
			// A ] right after [ or [^ is a literal member.
			if i+1 < len(expr) && expr[i+1] == '^' {
				i++
			}
			if i+1 < len(expr) && expr[i+1] == ']' {
				i++
			}
		case c == '|':
			return true
		}
	}
	return false
}

// literalLen is the number of literal characters every match of re
// contains (a lower bound: classes and optional parts count nothing).
func literalLen(re *syntax.Regexp) int {
	switch re.Op {
	case syntax.OpLiteral:
		return len(re.Rune)
	case syntax.OpCapture, syntax.OpPlus:
		return literalLen(re.Sub[0])
	case syntax.OpRepeat:
		return min(re.Min, 100) * literalLen(re.Sub[0])
	case syntax.OpConcat:
		n := 0
		for _, s := range re.Sub {
			n += literalLen(s)
		}
		return n
	case syntax.OpAlternate:
		n := -1
		for _, s := range re.Sub {
			if m := literalLen(s); n < 0 || m < n {
				n = m
			}
		}
		return max(n, 0)
	}
	return 0
}
