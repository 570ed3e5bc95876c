package lua

import (
	"sort"
)

func OpenTable(L *LState) int {
	tabmod := L.RegisterModule(TabLibName, tableFuncs)
	L.Push(tabmod)
	return 1
}

var tableFuncs = map[string]LGFunction{
	"getn":   tableGetN,
	"concat": tableConcat,
	"insert": tableInsert,
	"maxn":   tableMaxN,
	"remove": tableRemove,
	"sort":   tableSort,
}

func tableSort(L *LState) int {
	tbl := L.CheckTable(1)
	sorter := lValueArraySorter{L, nil, tbl.array}
	if L.Get(2) != LNil { // heimnetz: nil is no comparator, as in C
		sorter.Fn = L.CheckFunction(2)
	}
	if L.meter != nil { // heimnetz: Go-side comparisons count as work
		L.chargeSort(len(tbl.array))
	}
	sort.Sort(sorter)
	return 0
}

func tableGetN(L *LState) int {
	L.Push(LNumber(L.CheckTable(1).Len()))
	return 1
}

func tableMaxN(L *LState) int {
	// heimnetz: as C Lua 5.1, the largest positive number among all keys
	// (upstream looked at the array part only).
	tbl := L.CheckTable(1)
	max := LNumber(tbl.MaxN())
	n := 0
	for k := range tbl.dict {
		if v, ok := k.(LNumber); ok && v > max {
			max = v
		}
		n++
	}
	if L.meter != nil { // the walk over the hash part counts as work
		L.chargeMoves(n)
	}
	L.Push(max)
	return 1
}

func tableRemove(L *LState) int {
	// heimnetz: as C Lua 5.1's tremove: a position outside 1..#t removes
	// nothing (upstream removed the last element for any pos < 1, and
	// charged the shift for pos = -2^53 as 2^53 moves).
	tbl := L.CheckTable(1)
	e := tbl.Len()
	pos := L.OptInt(2, e)
	if pos < 1 || pos > e {
		return 0
	}
	if L.meter != nil { // heimnetz: the shift counts as work
		L.chargeMoves(e - pos)
	}
	if e == len(tbl.array) {
		L.Push(tbl.Remove(pos))
		return 1
	}
	v := tbl.RawGetInt(pos)
	for ; pos < e; pos++ {
		tbl.RawSetInt(pos, tbl.RawGetInt(pos+1))
	}
	tbl.RawSetInt(e, LNil)
	L.Push(v)
	return 1
}

func tableConcat(L *LState) int {
	// heimnetz: as C Lua 5.1's tconcat: i and j are used as given (upstream
	// clamped them to #t and returned a shorter string) and every element
	// from i to j must be a string or a number. The result is sized and
	// charged before it is built, without the data stack.
	sep := ""
	if L.Get(2) != LNil { // a number is a separator too, checked first as in C
		sep = L.CheckString(2)
	}
	tbl := L.CheckTable(1)
	i := L.OptInt(3, 1)
	j := L.OptInt(4, tbl.Len())
	if i > j {
		L.Push(emptyLString)
		return 1
	}
	L.reg.Push(tableConcatMetered(L, tbl, sep, i, j))
	return 1
}

func tableInsert(L *LState) int {
	tbl := L.CheckTable(1)
	nargs := L.GetTop()
	if nargs != 2 && nargs != 3 { // heimnetz: as C Lua 5.1
		L.RaiseError("wrong number of arguments to 'insert'")
	}

	if L.GetTop() == 2 {
		tbl.Append(L.Get(2))
		return 0
	}
	pos := L.CheckInt(2)
	if L.meter != nil && pos > 0 && pos <= len(tbl.array) { // heimnetz: the shift counts as work
		L.chargeMoves(len(tbl.array) - pos)
	}
	tbl.Insert(int(pos), L.CheckAny(3))
	return 0
}

//
