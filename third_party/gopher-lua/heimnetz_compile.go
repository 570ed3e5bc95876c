package lua

// heimnetz patch: compilation under the meter, with bounded nesting (see
// PATCHES.md, section 10).

import (
	"io"

	"github.com/yuin/gopher-lua/ast"
	"github.com/yuin/gopher-lua/parse"
)

// maxCompileDepth bounds the compiler's recursion (expressions, conditions,
// blocks). The parser's stack bound keeps most source far below it, but
// left-associative chains (a+b+c+…, a.b.c…, f()()…) nest the tree without
// growing the parser's stack.
const maxCompileDepth = 1000

// maxUpvalues is the most upvalues a function may have: the compiled
// function counts them in a uint8.
const maxUpvalues = 255

// initialCodeSize is the code store's starting capacity per function;
// upstream started at 1024 instructions (12 KiB with line numbers) for
// every function, however short.
const initialCodeSize = 64

// Work charged for compiling, in VM instructions: measured, parsing a token
// and compiling a node each take about as long as 10 instructions.
const (
	parseTokenWork  = 10
	compileNodeWork = 10
)

// parseTokenBytes estimates the Go memory the parser keeps per token read
// (syntax tree nodes, token strings, slices: measured 30–60 bytes) and the
// compiler's temporaries per token (code store, constant map), held while
// compiling.
const parseTokenBytes = 64

// compileBudget is shared by the function contexts of one compilation: it
// bounds the recursion and charges the work to the meter, if any.
type compileBudget struct {
	meter *Meter
	depth int
}

// work charges compiling one statement or expression.
func (b *compileBudget) work() {
	if b.meter != nil {
		b.meter.Work(compileNodeWork)
	}
}

// enter accounts one level of compiler recursion at line and fails the
// compilation beyond maxCompileDepth; leave undoes it.
func (b *compileBudget) enter(context *funcContext, line int) {
	b.work()
	b.depth++
	if b.depth > maxCompileDepth {
		b.depth = 0
		raiseCompileError(context, line, "%s", parse.ErrTooDeep)
	}
}

func (b *compileBudget) leave() { b.depth-- }

// lastStmtIndex returns the index from which only label statements follow
// in chunk (so a statement at or after it counts as the last one).
func lastStmtIndex(chunk []ast.Stmt) int {
	i := len(chunk) - 1
	for i > 0 {
		if _, ok := chunk[i].(*ast.LabelStmt); !ok {
			break
		}
		i--
	}
	return i
}

// loadMetered parses and compiles a chunk under the state's meter: every
// 256 tokens and every statement and expression are work (so the budget,
// Stop and the deadline end a long compilation), the parse tree is held as
// it grows (so the memory cap holds during compilation), and a violation
// raised meanwhile is returned as the error. It also runs when the host
// loads code outside a call; the depth is raised for that time so the
// violation can be raised and recovered here.
func (ls *LState) loadMetered(reader io.Reader, name string) (proto *FunctionProto, err error) {
	m := ls.meter
	depth := m.depth
	var held int64
	defer func() {
		m.depth = depth
		m.release(held)
		if rcv := recover(); rcv != nil {
			if m.err == nil {
				panic(rcv)
			}
			proto, err = nil, m.apiError()
		}
	}()
	if depth == 0 {
		m.depth = 1
	}
	held = ls.chargeSource(reader)
	step := func(tokens int) {
		m.Work(int64(tokens) * parseTokenWork)
		m.hold(int64(tokens) * parseTokenBytes)
		held += int64(tokens) * parseTokenBytes
	}
	chunk, err := parse.ParseWithLimits(reader, name, parse.Limits{MaxDepth: parse.DefaultMaxDepth, Step: step})
	if m.err != nil {
		m.raise()
	}
	if err != nil {
		return nil, newApiErrorE(ApiErrorSyntax, err)
	}
	proto, err = compileMetered(chunk, name, m)
	if err != nil {
		return nil, newApiErrorE(ApiErrorSyntax, err)
	}
	return proto, nil
}
