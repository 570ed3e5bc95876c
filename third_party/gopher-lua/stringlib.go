package lua

import (
	"fmt"
	"strings"

	"github.com/yuin/gopher-lua/pm"
)

const emptyLString LString = LString("")

func OpenString(L *LState) int {
	var mod *LTable
	//_, ok := L.G.builtinMts[int(LTString)]
	//if !ok {
	mod = L.RegisterModule(StringLibName, strFuncs).(*LTable)
	gmatch := L.NewClosure(strGmatch, L.NewFunction(strGmatchIter))
	mod.RawSetString("gmatch", gmatch)
	mod.RawSetString("gfind", gmatch)
	mod.RawSetString("__index", mod)
	L.G.builtinMts[int(LTString)] = mod
	//}
	L.Push(mod)
	return 1
}

var strFuncs = map[string]LGFunction{
	"byte":    strByte,
	"char":    strChar,
	"dump":    strDump,
	"find":    strFind,
	"format":  strFormat,
	"gsub":    strGsub,
	"len":     strLen,
	"lower":   strLower,
	"match":   strMatch,
	"rep":     strRep,
	"reverse": strReverse,
	"sub":     strSub,
	"upper":   strUpper,
}

func strByte(L *LState) int {
	str := L.CheckString(1)
	l := len(str) // heimnetz: positions as lstrlib's str_byte, no overflow
	posi := posrelat(L.OptInt(2, 1), l)
	pose := posrelat(L.OptInt(3, posi), l)
	if posi <= 0 {
		posi = 1
	}
	if pose > l {
		pose = l
	}
	if posi > pose {
		return 0
	}
	start, end := posi-1, pose

	if L.meter != nil { // heimnetz: refuse before pushing
		L.checkResults(int64(end-start), "string.byte")
		L.meter.workSlots(end - start)
	}
	for i := start; i < end; i++ {
		L.Push(LNumber(str[i]))
	}
	return end - start
}

func strChar(L *LState) int {
	top := L.GetTop()
	if L.meter != nil { // heimnetz: charged
		L.chargeString(int64(top))
	}
	bytes := make([]byte, L.GetTop())
	for i := 1; i <= top; i++ {
		c := L.CheckInt(i)
		if c < 0 || c > 255 { // heimnetz: as C Lua, not truncated
			L.ArgError(i, "invalid value")
		}
		bytes[i-1] = uint8(c)
	}
	L.Push(LString(string(bytes)))
	return 1
}

func strDump(L *LState) int {
	L.RaiseError("GopherLua does not support the string.dump")
	return 0
}

func strFind(L *LState) int {
	str := L.CheckString(1)
	pattern := L.CheckString(2)
	init := L.initArg(3, len(str)) // heimnetz: clamped as C Lua, no overflow
	plain := LVAsBool(L.Get(4))
	if len(pattern) == 0 {
		L.Push(LNumber(init + 1))
		L.Push(LNumber(init))
		return 2
	}

	if plain {
		if L.meter != nil { // heimnetz: the scan is work
			L.meter.workScan(len(str) - init)
		}
		pos := strings.Index(str[init:], pattern)
		if pos < 0 {
			L.Push(LNil)
			return 1
		}
		L.Push(LNumber(init+pos) + 1)
		L.Push(LNumber(init + pos + len(pattern)))
		return 2
	}

	search, mds, err := L.findPattern(pattern, unsafeFastStringToReadOnlyBytes(str), init, 1) // heimnetz: metered
	search.release()
	if err != nil {
		L.RaiseError(err.Error())
	}
	if len(mds) == 0 {
		L.Push(LNil)
		return 1
	}
	md := mds[0]
	L.Push(LNumber(md.Capture(0) + 1))
	L.Push(LNumber(md.Capture(1)))
	for i := 2; i < md.CaptureLength(); i += 2 {
		if md.IsPosCapture(i) {
			L.Push(LNumber(md.Capture(i)))
		} else {
			L.Push(L.substring(str, md.Capture(i), md.Capture(i+1)))
		}
	}
	return md.CaptureLength()/2 + 1
}

func strFormat(L *LState) int {
	L.Push(L.strFormatC()) // heimnetz: C Lua 5.1's conversions only, sized first
	return 1
}

func strGsub(L *LState) int {
	str := L.CheckString(1)
	pat := L.CheckString(2)
	switch L.Get(3).Type() { // heimnetz: C Lua's check and message
	case LTNumber, LTString, LTTable, LTFunction:
	default:
		L.ArgError(3, "string/function/table expected")
	}
	repl := L.Get(3)
	if n, ok := repl.(LNumber); ok { // heimnetz: a number is a string, as in C
		repl = LString(n.String())
	}
	limit := L.OptInt(4, -1)
	if L.Get(4) != LNil && limit <= 0 { // heimnetz: as C, no replacement at all
		L.SetTop(0)
		L.Push(LString(str))
		L.Push(LNumber(0))
		return 2
	}

	search, mds, err := L.findPattern(pat, unsafeFastStringToReadOnlyBytes(str), 0, limit) // heimnetz: metered
	defer search.release()
	if err != nil {
		L.RaiseError(err.Error())
	}
	if len(mds) == 0 {
		L.SetTop(0)
		L.Push(LString(str)) // heimnetz: a string even for a number subject
		L.Push(LNumber(0))
		return 2
	}
	switch lv := repl.(type) {
	case LString:
		L.Push(LString(strGsubStr(L, str, string(lv), mds)))
	case *LTable:
		L.Push(LString(strGsubTable(L, str, lv, mds)))
	case *LFunction:
		L.Push(LString(strGsubFunc(L, str, lv, mds)))
	}
	L.Push(LNumber(len(mds)))
	return 2
}

type replaceInfo struct {
	Indicies []int
	String   string
}

func checkCaptureIndex(L *LState, m *pm.MatchData, idx int) {
	if idx <= 2 {
		return
	}
	if idx >= m.CaptureLength() {
		L.RaiseError("invalid capture index")
	}
}

func capturedString(L *LState, m *pm.MatchData, str string, idx int) string {
	checkCaptureIndex(L, m, idx)
	if idx >= m.CaptureLength() && idx == 2 {
		idx = 0
	}
	if m.IsPosCapture(idx) {
		return fmt.Sprint(m.Capture(idx))
	} else {
		return str[m.Capture(idx):m.Capture(idx+1)]
	}

}

// heimnetz: strGsubDoReplace (quadratic) replaced by gsubReplace.

func strGsubStr(L *LState, str string, repl string, matches []*pm.MatchData) string {
	infoList := make([]replaceInfo, 0, len(matches))
	charger := gsubCharger{L: L} // heimnetz: replacements charged as made
	defer charger.done()
	for _, match := range matches {
		start, end := match.Capture(0), match.Capture(1)
		// "%d" is a capture, "%%" a percent sign; "%x" for any other byte x
		// and a final "%" are kept as they are (upstream's tests expect it; C Lua 5.1 writes x,
		// and a NUL for the final "%").
		out := make([]byte, 0, len(repl))
		for i := 0; i < len(repl); i++ {
			c := repl[i]
			if c != '%' {
				out = append(out, c)
				continue
			}
			i++
			switch {
			case i == len(repl):
				out = append(out, '%')
			case repl[i] >= '0' && repl[i] <= '9':
				out = append(out, capturedString(L, match, str, 2*int(repl[i]-'0'))...)
			case repl[i] == '%':
				out = append(out, '%')
			default:
				out = append(out, '%', repl[i])
			}
		}
		infoList = append(infoList, replaceInfo{[]int{start, end}, string(out)})
		charger.add(len(infoList[len(infoList)-1].String) + 64)
	}

	return gsubReplace(L, str, infoList) // heimnetz: charged
}

func strGsubTable(L *LState, str string, repl *LTable, matches []*pm.MatchData) string {
	infoList := make([]replaceInfo, 0, len(matches))
	charger := gsubCharger{L: L} // heimnetz: pieces held until built
	defer charger.done()
	for _, match := range matches {
		idx := 0
		if match.CaptureLength() > 2 { // has captures
			idx = 2
		}
		var value LValue
		if match.IsPosCapture(idx) {
			value = L.GetTable(repl, LNumber(match.Capture(idx)))
		} else {
			value = L.GetField(repl, string(L.substring(str, match.Capture(idx), match.Capture(idx+1)))) // heimnetz: __index may keep it
		}
		if r, ok := gsubValue(L, value); ok {
			infoList = append(infoList, replaceInfo{[]int{match.Capture(0), match.Capture(1)}, r})
			charger.add(64)
		}
	}
	return gsubReplace(L, str, infoList) // heimnetz: charged
}

// gsubValue is lstrlib's add_value: false or nil keeps the match, a
// string or number replaces it, anything else is an error (heimnetz:
// upstream wrote "table: 0x..." or "true" into the result).
func gsubValue(L *LState, v LValue) (string, bool) {
	switch lv := v.(type) {
	case LString:
		return string(lv), true
	case LNumber:
		return lv.String(), true
	}
	if LVIsFalse(v) {
		return "", false
	}
	L.RaiseError("invalid replacement value (a %s)", v.Type().String())
	return "", false
}

func strGsubFunc(L *LState, str string, repl *LFunction, matches []*pm.MatchData) string {
	infoList := make([]replaceInfo, 0, len(matches))
	charger := gsubCharger{L: L} // heimnetz: pieces held until built
	defer charger.done()
	for _, match := range matches {
		start, end := match.Capture(0), match.Capture(1)
		L.Push(repl)
		nargs := 0
		if match.CaptureLength() > 2 { // has captures
			for i := 2; i < match.CaptureLength(); i += 2 {
				if match.IsPosCapture(i) {
					L.Push(LNumber(match.Capture(i)))
				} else {
					L.Push(L.ownString(capturedString(L, match, str, i), len(str))) // heimnetz: copied
				}
				nargs++
			}
		} else {
			L.Push(L.ownString(capturedString(L, match, str, 0), len(str))) // heimnetz: copied
			nargs++
		}
		L.Call(nargs, 1)
		ret := L.reg.Pop()
		if r, ok := gsubValue(L, ret); ok {
			infoList = append(infoList, replaceInfo{[]int{start, end}, r})
			charger.add(64)
		}
	}
	return gsubReplace(L, str, infoList) // heimnetz: charged
}

type strMatchData struct {
	str     string
	pos     int
	matches []*pm.MatchData
}

func strGmatchIter(L *LState) int {
	md := L.CheckUserData(UpvalueIndex(1)).Value.(*strMatchData)
	str := md.str
	matches := md.matches
	idx := md.pos
	md.pos += 1
	if idx == len(matches) {
		return 0
	}
	match := matches[idx]
	if match.CaptureLength() == 2 {
		L.Push(L.substring(str, match.Capture(0), match.Capture(1)))
		return 1
	}

	for i := 2; i < match.CaptureLength(); i += 2 {
		if match.IsPosCapture(i) {
			L.Push(LNumber(match.Capture(i)))
		} else {
			L.Push(L.substring(str, match.Capture(i), match.Capture(i+1)))
		}
	}
	return match.CaptureLength()/2 - 1
}

func strGmatch(L *LState) int {
	str := L.CheckString(1)
	pattern := L.CheckString(2)
	if L.meter != nil { // heimnetz: the subject's copy
		L.chargeString(int64(len(str)))
	}
	search, mds, err := L.findPattern(pattern, []byte(str), 0, -1) // heimnetz: metered
	if err != nil {
		search.release()
		L.RaiseError(err.Error())
	}
	ud := L.NewUserData() // heimnetz: the state is an upvalue, as in C Lua
	ud.Value = &strMatchData{str, 0, mds}
	L.Push(L.NewClosure(strGmatchIter, ud))
	search.keep()
	return 1
}

func strLen(L *LState) int {
	str := L.CheckString(1)
	L.Push(LNumber(len(str)))
	return 1
}

func strLower(L *LState) int {
	str := L.CheckString(1)
	if L.meter != nil { // heimnetz: charged
		L.chargeCaseMap(str)
	}
	L.Push(LString(asciiCase(str, 'A', 'a'))) // heimnetz: bytes, as C
	return 1
}

func strMatch(L *LState) int {
	str := L.CheckString(1)
	pattern := L.CheckString(2)
	offset := L.initArg(3, len(str)) // heimnetz: clamped as C Lua

	search, mds, err := L.findPattern(pattern, unsafeFastStringToReadOnlyBytes(str), offset, 1) // heimnetz: metered
	search.release()
	if err != nil {
		L.RaiseError(err.Error())
	}
	if len(mds) == 0 {
		L.Push(LNil)
		return 0
	}
	md := mds[0]
	nsubs := md.CaptureLength() / 2
	switch nsubs {
	case 1:
		L.Push(L.substring(str, md.Capture(0), md.Capture(1)))
		return 1
	default:
		for i := 2; i < md.CaptureLength(); i += 2 {
			if md.IsPosCapture(i) {
				L.Push(LNumber(md.Capture(i)))
			} else {
				L.Push(L.substring(str, md.Capture(i), md.Capture(i+1)))
			}
		}
		return nsubs - 1
	}
}

func strRep(L *LState) int {
	str := L.CheckString(1)
	n := L.CheckInt(2)
	size := repSize(len(str), n) // heimnetz: sized with overflow check
	if size < 0 {
		L.RaiseError("resulting string too large")
	}
	if L.meter != nil {
		L.chargeString(size)
	}
	if n < 0 {
		L.Push(emptyLString)
	} else {
		L.Push(LString(strings.Repeat(str, n)))
	}
	return 1
}

func strReverse(L *LState) int {
	str := L.CheckString(1)
	if L.meter != nil { // heimnetz: charged (copy and result)
		L.chargeString(2 * int64(len(str)))
	}
	bts := []byte(str)
	out := make([]byte, len(bts))
	for i, j := 0, len(bts)-1; j >= 0; i, j = i+1, j-1 {
		out[i] = bts[j]
	}
	L.Push(LString(string(out)))
	return 1
}

func strSub(L *LState) int {
	str := L.CheckString(1)
	l := len(str) // heimnetz: positions as lstrlib's str_sub, no overflow
	start := posrelat(L.CheckInt(2), l)
	end := posrelat(L.OptInt(3, -1), l)
	if start < 1 {
		start = 1
	}
	if end > l {
		end = l
	}
	if start > end {
		L.Push(emptyLString)
	} else {
		L.Push(L.substring(str, start-1, end))
	}
	return 1
}

func strUpper(L *LState) int {
	str := L.CheckString(1)
	if L.meter != nil { // heimnetz: charged
		L.chargeCaseMap(str)
	}
	L.Push(LString(asciiCase(str, 'a', 'A'))) // heimnetz: bytes, as C
	return 1
}

func luaIndex2StringIndex(str string, i int, start bool) int {
	if start && i != 0 {
		i -= 1
	}
	l := len(str)
	if i < 0 {
		i = l + i + 1
	}
	i = intMax(0, i)
	if !start && i > l {
		i = l
	}
	return i
}

//
