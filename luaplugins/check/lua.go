package check

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/yuin/gopher-lua/ast"
	"github.com/yuin/gopher-lua/parse"
)

// maxNesting bounds how deep the walker follows the syntax tree; deeper
// code is reported rather than walked, so hostile input cannot exhaust
// the Go stack.
const maxNesting = 200

// ref is a use of a global name at a position.
type ref struct {
	name      string
	line, col int
	fn        bool // a write whose value is a function
}

// fieldRef is module.field on a global module or library table.
type fieldRef struct {
	module, field string
	line, col     int
}

// loopState tracks whether a loop can end from inside.
type loopState struct {
	exits bool
}

// chunk is one Lua file being analysed.
type chunk struct {
	file     string
	lines    []string
	cols     map[string]int
	findings []Finding
	scopes   []map[string]bool
	reads    []ref
	writes   []ref
	fields   []fieldRef
	metrics  []ref
	loops    []*loopState // nil marks a function boundary
	depth    int
	deepSeen bool
	parsed   bool
}

// analyse parses src and walks it, collecting findings and global uses.
// It never panics on any input.
func analyse(file string, src []byte) *chunk {
	c := &chunk{file: file, lines: strings.Split(string(src), "\n"), cols: map[string]int{}}
	if len(src) > 0 && src[0] == 0x1b {
		c.add(RuleBinaryChunk, Critical, 1, 1, file+" is precompiled Lua bytecode, not source", "")
		return c
	}
	stmts, err := parse.Parse(bytes.NewReader(src), file)
	if err != nil {
		line, col, msg := 1, 1, err.Error()
		var perr *parse.Error
		if errors.As(err, &perr) {
			line, col, msg = perr.Pos.Line, perr.Pos.Column, perr.Message
			if perr.Token != "" {
				msg += fmt.Sprintf(" near %q", perr.Token)
			}
			if line <= 0 {
				line, col = len(c.lines), 1
			}
		}
		c.add(RuleSyntax, High, line, max(col, 1), "syntax error: "+strings.TrimSpace(msg), "")
		return c
	}
	c.parsed = true
	c.push()
	c.stmts(stmts)
	return c
}

// add records a finding; an empty fix takes the rule's.
func (c *chunk) add(rule string, sev Severity, line, col int, msg, fix string) {
	if fix == "" {
		r, _ := RuleByID(rule)
		fix = r.Fix
	}
	c.findings = append(c.findings, Finding{Rule: rule, Severity: sev, File: c.file, Line: line, Column: col, Message: msg, Fix: fix})
}

// col finds the column of word on line: the first occurrence after the
// ones already found, at identifier boundaries. The parser keeps lines
// only, so the column is recovered from the text.
func (c *chunk) col(line int, word string) int {
	if line < 1 || line > len(c.lines) || word == "" {
		return 1
	}
	text := c.lines[line-1]
	key := strconv.Itoa(line) + "\x00" + word
	from := c.cols[key]
	for from <= len(text) {
		i := strings.Index(text[from:], word)
		if i < 0 {
			break
		}
		at := from + i
		end := at + len(word)
		if (at == 0 || !identByte(text[at-1])) && (end >= len(text) || !identByte(text[end])) {
			c.cols[key] = end
			return at + 1
		}
		from = at + 1
	}
	return 1
}

// peek is col without consuming the occurrence: for findings about a
// name the walk has already placed.
func (c *chunk) peek(line int, word string) int {
	key := strconv.Itoa(line) + "\x00" + word
	saved, ok := c.cols[key]
	delete(c.cols, key)
	col := c.col(line, word)
	if ok {
		c.cols[key] = saved
	} else {
		delete(c.cols, key)
	}
	return col
}

func identByte(b byte) bool {
	return b == '_' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
}

func (c *chunk) push() { c.scopes = append(c.scopes, map[string]bool{}) }
func (c *chunk) pop()  { c.scopes = c.scopes[:len(c.scopes)-1] }
func (c *chunk) declare(names ...string) {
	for _, n := range names {
		c.scopes[len(c.scopes)-1][n] = true
	}
}

func (c *chunk) isLocal(name string) bool {
	for i := len(c.scopes) - 1; i >= 0; i-- {
		if c.scopes[i][name] {
			return true
		}
	}
	return false
}

// enter guards recursion depth; it returns false when too deep.
func (c *chunk) enter(line int) bool {
	c.depth++
	if c.depth > maxNesting {
		if !c.deepSeen {
			c.deepSeen = true
			c.add(RuleUncheckedCode, High, line, 1, fmt.Sprintf("code nests deeper than %d levels; the rest of it is not checked", maxNesting), "flatten the nesting")
		}
		return false
	}
	return true
}

func (c *chunk) leave() { c.depth-- }

// exitAll marks every loop of the current function as able to end.
func (c *chunk) exitAll() {
	for i := len(c.loops) - 1; i >= 0 && c.loops[i] != nil; i-- {
		c.loops[i].exits = true
	}
}

func (c *chunk) stmts(list []ast.Stmt) {
	for _, s := range list {
		c.stmt(s)
	}
}

func (c *chunk) block(list []ast.Stmt, names ...string) {
	c.push()
	c.declare(names...)
	c.stmts(list)
	c.pop()
}

func (c *chunk) stmt(s ast.Stmt) {
	if s == nil {
		return
	}
	if !c.enter(s.Line()) {
		c.leave()
		return
	}
	defer c.leave()
	switch s := s.(type) {
	case *ast.LocalAssignStmt:
		if len(s.Names) == 1 && len(s.Exprs) == 1 {
			if _, ok := s.Exprs[0].(*ast.FunctionExpr); ok {
				c.declare(s.Names[0]) // local function f: f is visible inside
			}
		}
		for i, e := range s.Exprs {
			if i < len(s.Names) {
				c.secretAssign(s.Names[i], e)
			}
			c.expr(e)
		}
		c.declare(s.Names...)
	case *ast.AssignStmt:
		for _, e := range s.Rhs {
			c.expr(e)
		}
		for i, l := range s.Lhs {
			var rhs ast.Expr
			if i < len(s.Rhs) {
				rhs = s.Rhs[i]
			}
			c.assignTarget(l, rhs)
		}
	case *ast.FuncCallStmt:
		c.expr(s.Expr)
	case *ast.DoBlockStmt:
		c.block(s.Stmts)
	case *ast.WhileStmt:
		c.expr(s.Condition)
		c.loop(s.Line(), alwaysTrue(s.Condition), func() { c.block(s.Stmts) })
	case *ast.RepeatStmt:
		c.loop(s.Line(), alwaysFalse(s.Condition), func() {
			c.push()
			c.stmts(s.Stmts)
			c.expr(s.Condition)
			c.pop()
		})
	case *ast.IfStmt:
		c.expr(s.Condition)
		c.block(s.Then)
		c.block(s.Else)
	case *ast.NumberForStmt:
		c.expr(s.Init)
		c.expr(s.Limit)
		c.expr(s.Step)
		c.numericBounds(s)
		c.loop(s.Line(), false, func() { c.block(s.Stmts, s.Name) })
	case *ast.GenericForStmt:
		for _, e := range s.Exprs {
			c.expr(e)
		}
		c.loop(s.Line(), false, func() { c.block(s.Stmts, s.Names...) })
	case *ast.FuncDefStmt:
		c.funcDef(s)
	case *ast.ReturnStmt:
		for _, e := range s.Exprs {
			c.expr(e)
		}
		c.exitAll()
	case *ast.BreakStmt:
		if n := len(c.loops); n > 0 && c.loops[n-1] != nil {
			c.loops[n-1].exits = true
		}
	case *ast.GotoStmt:
		c.exitAll()
	}
}

// loop walks a loop body and reports a loop that cannot end from inside.
func (c *chunk) loop(line int, endless bool, body func()) {
	st := &loopState{}
	c.loops = append(c.loops, st)
	body()
	c.loops = c.loops[:len(c.loops)-1]
	if endless && !st.exits {
		c.add(RuleRunawayLoop, Medium, line, c.col(line, firstWord(c.lineText(line))),
			"loop with a constant condition has no break, return or error: it runs until a limit ends the call", "")
	}
}

func (c *chunk) lineText(line int) string {
	if line < 1 || line > len(c.lines) {
		return ""
	}
	return c.lines[line-1]
}

func firstWord(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexFunc(s, func(r rune) bool { return r > 0x7f || !identByte(byte(r)) }); i > 0 {
		return s[:i]
	}
	return s
}

// numericBounds reports `for i = a, b` with literal bounds far beyond
// what one call's instruction budget allows.
func (c *chunk) numericBounds(s *ast.NumberForStmt) {
	from, ok1 := number(s.Init)
	to, ok2 := number(s.Limit)
	step := 1.0
	if s.Step != nil {
		var ok bool
		if step, ok = number(s.Step); !ok {
			return
		}
	}
	if !ok1 || !ok2 || step == 0 {
		return
	}
	if n := (to - from) / step; n > loopCeiling {
		c.add(RuleRunawayLoop, Medium, s.Line(), c.col(s.Line(), "for"),
			fmt.Sprintf("numeric loop of about %.0f iterations; each call may run at most the instruction limit (default 10000000 instructions)", n), "")
	}
}

// loopCeiling is the iteration count above which a literal loop is
// reported: each iteration costs at least a few instructions, so this
// many cannot finish under the default instruction limit.
const loopCeiling = 5_000_000

func number(e ast.Expr) (float64, bool) {
	switch e := e.(type) {
	case *ast.NumberExpr:
		v, err := parseLuaNumber(e.Value)
		return v, err == nil
	case *ast.UnaryMinusOpExpr:
		v, ok := number(e.Expr)
		return -v, ok
	}
	return 0, false
}

func parseLuaNumber(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X") {
		v, err := strconv.ParseUint(s[2:], 16, 64)
		return float64(v), err
	}
	return strconv.ParseFloat(s, 64)
}

func alwaysTrue(e ast.Expr) bool {
	switch e.(type) {
	case *ast.TrueExpr, *ast.NumberExpr, *ast.StringExpr, *ast.TableExpr, *ast.FunctionExpr:
		return true
	}
	return false
}

func alwaysFalse(e ast.Expr) bool {
	switch e.(type) {
	case *ast.FalseExpr, *ast.NilExpr:
		return true
	}
	return false
}

func (c *chunk) funcDef(s *ast.FuncDefStmt) {
	if s.Name == nil || s.Func == nil {
		return
	}
	var params []string
	switch {
	case s.Name.Receiver != nil:
		c.expr(s.Name.Receiver)
		params = append(params, "self")
	default:
		if id, ok := s.Name.Func.(*ast.IdentExpr); ok {
			if !c.isLocal(id.Value) {
				c.writes = append(c.writes, ref{name: id.Value, line: s.Line(), col: c.col(s.Line(), id.Value), fn: true})
			}
		} else {
			c.assignTarget(s.Name.Func, s.Func)
		}
	}
	c.function(s.Func, params...)
}

func (c *chunk) function(f *ast.FunctionExpr, extra ...string) {
	c.loops = append(c.loops, nil)
	c.push()
	c.declare(extra...)
	if f.ParList != nil {
		c.declare(f.ParList.Names...)
	}
	c.stmts(f.Stmts)
	c.pop()
	c.loops = c.loops[:len(c.loops)-1]
}

// assignTarget handles one left-hand side of an assignment.
func (c *chunk) assignTarget(l ast.Expr, rhs ast.Expr) {
	_, isFn := rhs.(*ast.FunctionExpr)
	switch l := l.(type) {
	case *ast.IdentExpr:
		c.secretAssign(l.Value, rhs)
		if !c.isLocal(l.Value) {
			c.writes = append(c.writes, ref{name: l.Value, line: l.Line(), col: c.col(l.Line(), l.Value), fn: isFn})
		}
	case *ast.AttrGetExpr:
		if k, ok := l.Key.(*ast.StringExpr); ok {
			c.secretAssign(k.Value, rhs)
			if g, ok := l.Object.(*ast.IdentExpr); ok && g.Value == "_G" && !c.isLocal("_G") {
				c.writes = append(c.writes, ref{name: k.Value, line: l.Line(), col: c.col(l.Line(), "_G"), fn: isFn})
				return
			}
		}
		c.attr(l)
	default:
		c.expr(l)
	}
}

func (c *chunk) expr(e ast.Expr) {
	if e == nil {
		return
	}
	if !c.enter(e.Line()) {
		c.leave()
		return
	}
	defer c.leave()
	switch e := e.(type) {
	case *ast.IdentExpr:
		if !c.isLocal(e.Value) {
			c.reads = append(c.reads, ref{name: e.Value, line: e.Line(), col: c.col(e.Line(), e.Value)})
		}
	case *ast.AttrGetExpr:
		c.attr(e)
	case *ast.StringExpr:
		c.literal(e)
	case *ast.TableExpr:
		if len(e.Fields) > maxTableFields {
			c.add(RuleOversizedLiteral, Medium, e.Line(), 1, fmt.Sprintf("table constructor with %d fields (more than %d)", len(e.Fields), maxTableFields), "")
		}
		for _, f := range e.Fields {
			if k, ok := f.Key.(*ast.StringExpr); ok {
				c.secretAssign(k.Value, f.Value)
			} else {
				c.expr(f.Key)
			}
			c.expr(f.Value)
		}
	case *ast.FuncCallExpr:
		c.call(e)
	case *ast.LogicalOpExpr:
		c.expr(e.Lhs)
		c.expr(e.Rhs)
	case *ast.RelationalOpExpr:
		c.expr(e.Lhs)
		c.expr(e.Rhs)
	case *ast.StringConcatOpExpr:
		c.expr(e.Lhs)
		c.expr(e.Rhs)
	case *ast.ArithmeticOpExpr:
		c.expr(e.Lhs)
		c.expr(e.Rhs)
	case *ast.UnaryMinusOpExpr:
		c.expr(e.Expr)
	case *ast.UnaryNotOpExpr:
		c.expr(e.Expr)
	case *ast.UnaryLenOpExpr:
		c.expr(e.Expr)
	case *ast.FunctionExpr:
		c.function(e)
	}
}

// maxTableFields is the size above which a table constructor is reported.
const maxTableFields = 10_000

// attr handles obj.key and obj[key].
func (c *chunk) attr(e *ast.AttrGetExpr) {
	g, global := e.Object.(*ast.IdentExpr)
	global = global && !c.isLocal(g.Value)
	key, constKey := e.Key.(*ast.StringExpr)
	if global && (g.Value == "_G" || g.Value == "_ENV") {
		if constKey {
			// _G.io is io.
			c.reads = append(c.reads, ref{name: key.Value, line: e.Line(), col: c.col(e.Line(), g.Value)})
			return
		}
		if _, isNum := e.Key.(*ast.NumberExpr); !isNum {
			c.add(RuleDynamicCode, High, e.Line(), c.col(e.Line(), g.Value), "global looked up by a computed name ("+g.Value+"[…])", "")
		}
		c.expr(e.Key)
		return
	}
	if global {
		col := c.col(g.Line(), g.Value)
		c.reads = append(c.reads, ref{name: g.Value, line: g.Line(), col: col})
		if constKey {
			c.fields = append(c.fields, fieldRef{module: g.Value, field: key.Value, line: g.Line(), col: col})
			return
		}
	} else {
		c.expr(e.Object)
	}
	if !constKey {
		c.expr(e.Key)
	}
}

// calleeName returns "name" or "module.name" for a call on a global.
func (c *chunk) calleeName(f ast.Expr) string {
	switch f := f.(type) {
	case *ast.IdentExpr:
		if !c.isLocal(f.Value) {
			return f.Value
		}
	case *ast.AttrGetExpr:
		g, ok := f.Object.(*ast.IdentExpr)
		k, ok2 := f.Key.(*ast.StringExpr)
		if ok && ok2 && !c.isLocal(g.Value) {
			return g.Value + "." + k.Value
		}
	}
	return ""
}

var patternFuncs = map[string]bool{"find": true, "match": true, "gmatch": true, "gsub": true}

func (c *chunk) call(e *ast.FuncCallExpr) {
	if e.Receiver != nil {
		c.expr(e.Receiver)
	} else {
		c.expr(e.Func)
	}
	for _, a := range e.Args {
		c.expr(a)
	}
	line := e.Line()
	name := c.calleeName(e.Func)
	if e.Receiver != nil {
		// s:match(p) — the pattern is the first argument.
		if patternFuncs[e.Method] && len(e.Args) > 0 {
			c.pattern(e.Args[0], line)
		}
		if e.Method == "rep" && len(e.Args) > 0 {
			c.rep(e.Receiver, e.Args[0], line)
		}
		return
	}
	switch {
	case name == "error" || name == "coroutine.yield":
		c.exitAll()
	case name == "rawget" || name == "rawset":
		if len(e.Args) >= 2 && c.isGlobalTable(e.Args[0]) {
			if _, ok := e.Args[1].(*ast.StringExpr); !ok {
				c.add(RuleDynamicCode, High, line, c.peek(line, name), name+" on _G with a computed key", "")
			}
		}
	case name == "setmetatable" || name == "getmetatable":
		if len(e.Args) >= 1 && c.isGlobalTable(e.Args[0]) {
			c.add(RuleDynamicCode, High, line, c.peek(line, name), name+" on _G changes or reads how every global is looked up", "")
		}
		if len(e.Args) >= 1 && name == "getmetatable" {
			if _, ok := e.Args[0].(*ast.StringExpr); ok {
				c.add(RuleDynamicCode, High, line, c.peek(line, name), "getmetatable on a string reaches the shared string metatable", "")
			}
		}
	case strings.HasPrefix(name, "string.") && patternFuncs[strings.TrimPrefix(name, "string.")]:
		if len(e.Args) >= 2 {
			c.pattern(e.Args[1], line)
		}
	case name == "string.rep":
		if len(e.Args) >= 2 {
			c.rep(e.Args[0], e.Args[1], line)
		}
	case name == "metrics.set" || name == "metrics.add":
		if len(e.Args) >= 1 {
			if s, ok := e.Args[0].(*ast.StringExpr); ok {
				c.metrics = append(c.metrics, ref{name: s.Value, line: line, col: c.peek(line, "metrics")})
				c.metricName(name, s.Value, line)
			}
		}
		if len(e.Args) >= 3 {
			if t, ok := e.Args[2].(*ast.TableExpr); ok {
				c.labelNames(name, t, line)
			}
		}
	}
}

func (c *chunk) isGlobalTable(e ast.Expr) bool {
	id, ok := e.(*ast.IdentExpr)
	return ok && (id.Value == "_G" || id.Value == "_ENV") && !c.isLocal(id.Value)
}
