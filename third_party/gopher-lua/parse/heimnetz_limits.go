package parse

// heimnetz patch: bounded parsing (see ../PATCHES.md, section 10).

import (
	"io"

	"github.com/yuin/gopher-lua/ast"
)

// DefaultMaxDepth bounds the parser's stack in Parse. A level of nesting
// takes one stack entry (brackets, unary operators), two (blocks, calls,
// right-associative operators) or up to seven (a local function
// definition), so this admits at least C Lua 5.1's 200 levels
// (LUAI_MAXCCALLS) of every construct while bounding the parse stack and
// the tree's depth (measured: 1,494 nested parentheses, 213 nested local
// functions, 748 nested do blocks, 374 nested ifs).
const DefaultMaxDepth = 1500

// StepTokens is how many tokens the lexer reads between two calls of
// Limits.Step.
const StepTokens = 256

// ErrTooDeep is the message of the syntax error for source nested beyond
// Limits.MaxDepth; it is C Lua 5.1's wording.
const ErrTooDeep = "chunk has too many syntax levels"

// Limits bounds what parsing one chunk may cost.
type Limits struct {
	// MaxDepth bounds the parser's stack and so how deeply source may
	// nest; beyond it the parse fails with ErrTooDeep. 0 means no bound.
	MaxDepth int
	// Step, if set, is called with StepTokens after every StepTokens
	// tokens read. It may panic with an error to abort the parse; the
	// parse then returns that error.
	Step func(tokens int)
}

// ParseWithLimits parses like Parse under lim.
func ParseWithLimits(reader io.Reader, name string, lim Limits) (chunk []ast.Stmt, err error) {
	lexer := &Lexer{NewScanner(reader, name), nil, false, ast.Token{Str: ""}, TNil, lim, 0}
	defer func() {
		if e := recover(); e != nil {
			chunk = nil
			err, _ = e.(error)
		}
	}()
	yyParse(lexer)
	return lexer.Stmts, nil
}

// tooDeep reports whether the parser's stack index yyp is beyond the
// lexer's limit; the generated parser calls it on every shift.
func tooDeep(yylex yyLexer, yyp int) bool {
	lx, ok := yylex.(*Lexer)
	return ok && lx.limits.MaxDepth > 0 && yyp >= lx.limits.MaxDepth
}

// step counts one token and calls the Step hook every StepTokens tokens.
func (lx *Lexer) step() {
	lx.tokens++
	if lx.limits.Step != nil && lx.tokens%StepTokens == 0 {
		lx.limits.Step(StepTokens)
	}
}
