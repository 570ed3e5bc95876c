package lua

import "math"

const defaultArrayCap = 32
const defaultHashCap = 32

type lValueArraySorter struct {
	L      *LState
	Fn     *LFunction
	Values []LValue
}

func (lv lValueArraySorter) Len() int {
	return len(lv.Values)
}

func (lv lValueArraySorter) Swap(i, j int) {
	lv.Values[i], lv.Values[j] = lv.Values[j], lv.Values[i]
}

func (lv lValueArraySorter) Less(i, j int) bool {
	if lv.Fn != nil {
		lv.L.Push(lv.Fn)
		lv.L.Push(lv.Values[i])
		lv.L.Push(lv.Values[j])
		lv.L.Call(2, 1)
		return LVAsBool(lv.L.reg.Pop())
	}
	return lessThan(lv.L, lv.Values[i], lv.Values[j])
}

func newLTable(acap int, hcap int) *LTable {
	if acap < 0 {
		acap = 0
	}
	if hcap < 0 {
		hcap = 0
	}
	tb := &LTable{}
	tb.Metatable = LNil
	if acap != 0 {
		tb.array = make([]LValue, 0, acap)
	}
	if hcap != 0 {
		tb.strdict = make(map[string]LValue, hcap)
		tb.sorder = make([]string, 0, hcap)       // heimnetz patch 18
		tb.hint = int32(min(hcap, math.MaxInt32)) // heimnetz patch 23
	}
	return tb
}

// Len returns length of this LTable without using __len.
func (tb *LTable) Len() int {
	if tb.array == nil {
		return 0
	}
	var prev LValue = LNil
	for i := len(tb.array) - 1; i >= 0; i-- {
		v := tb.array[i]
		if prev == LNil && v != LNil {
			if tb.meter != nil { // heimnetz: a scan over trailing nils is work
				tb.meter.workSlots(len(tb.array) - i)
			}
			return i + 1
		}
		prev = v
	}
	if tb.meter != nil { // heimnetz
		tb.meter.workSlots(len(tb.array))
	}
	return 0
}

// Append appends a given LValue to this LTable.
func (tb *LTable) Append(value LValue) {
	if value == LNil {
		return
	}
	if tb.array == nil {
		if tb.meter != nil { // heimnetz: charged
			tb.meter.chargeSlots(defaultArrayCap)
		}
		tb.array = make([]LValue, 0, defaultArrayCap)
	}
	if len(tb.array) == 0 || tb.array[len(tb.array)-1] != LNil {
		if tb.meter != nil && len(tb.array) == cap(tb.array) { // heimnetz
			tb.meter.chargeSlots(cap(tb.array))
		}
		tb.array = append(tb.array, value)
	} else {
		i := len(tb.array) - 2
		for ; i >= 0; i-- {
			if tb.array[i] != LNil {
				break
			}
		}
		tb.array[i+1] = value
	}
}

// Insert inserts a given LValue at position `i` in this table.
func (tb *LTable) Insert(i int, value LValue) {
	if tb.array == nil {
		if tb.meter != nil { // heimnetz: charged
			tb.meter.chargeSlots(defaultArrayCap)
		}
		tb.array = make([]LValue, 0, defaultArrayCap)
	}
	if i > len(tb.array) {
		tb.RawSetInt(i, value)
		return
	}
	if i <= 0 {
		tb.RawSet(LNumber(i), value)
		return
	}
	i -= 1
	if tb.meter != nil && len(tb.array) == cap(tb.array) { // heimnetz
		tb.meter.chargeSlots(cap(tb.array))
	}
	tb.array = append(tb.array, LNil)
	copy(tb.array[i+1:], tb.array[i:])
	tb.array[i] = value
}

// MaxN returns a maximum number key that nil value does not exist before it.
func (tb *LTable) MaxN() int {
	if tb.array == nil {
		return 0
	}
	for i := len(tb.array) - 1; i >= 0; i-- {
		if tb.array[i] != LNil {
			if tb.meter != nil { // heimnetz: a scan over trailing nils is work
				tb.meter.workSlots(len(tb.array) - i)
			}
			return i + 1
		}
	}
	if tb.meter != nil { // heimnetz
		tb.meter.workSlots(len(tb.array))
	}
	return 0
}

// Remove removes from this table the element at a given position.
func (tb *LTable) Remove(pos int) LValue {
	if tb.array == nil {
		return LNil
	}
	larray := len(tb.array)
	if larray == 0 {
		return LNil
	}
	i := pos - 1
	oldval := LNil
	switch {
	case i >= larray:
		// nothing to do
	case i == larray-1 || i < 0:
		oldval = tb.array[larray-1]
		tb.array = tb.array[:larray-1]
	default:
		oldval = tb.array[i]
		copy(tb.array[i:], tb.array[i+1:])
		tb.array[larray-1] = nil
		tb.array = tb.array[:larray-1]
	}
	return oldval
}

// RawSet sets a given LValue to a given index without the __newindex metamethod.
// It is recommended to use `RawSetString` or `RawSetInt` for performance
// if you already know the given LValue is a string or number.
func (tb *LTable) RawSet(key LValue, value LValue) {
	switch v := key.(type) {
	case LNumber:
		if isArrayKey(v) {
			if tb.array == nil {
				if tb.meter != nil { // heimnetz: charged
					tb.meter.chargeSlots(defaultArrayCap)
				}
				tb.array = make([]LValue, 0, defaultArrayCap)
			}
			index := int(v) - 1
			alen := len(tb.array)
			if tb.meter != nil && index >= alen { // heimnetz: charged
				tb.meter.chargeArraySet(index, alen, cap(tb.array))
			}
			switch {
			case index == alen:
				tb.array = append(tb.array, value)
			case index > alen:
				for i := 0; i < (index - alen); i++ {
					tb.array = append(tb.array, LNil)
				}
				tb.array = append(tb.array, value)
			case index < alen:
				tb.array[index] = value
			}
			return
		}
	case LString:
		tb.RawSetString(string(v), value)
		return
	}

	tb.RawSetH(key, value)
}

// RawSetInt sets a given LValue at a position `key` without the __newindex metamethod.
func (tb *LTable) RawSetInt(key int, value LValue) {
	if key < 1 || key >= MaxArrayIndex {
		tb.RawSetH(LNumber(key), value)
		return
	}
	if tb.array == nil {
		if tb.meter != nil { // heimnetz: charged
			tb.meter.chargeSlots(32)
		}
		tb.array = make([]LValue, 0, 32)
	}
	index := key - 1
	alen := len(tb.array)
	if tb.meter != nil && index >= alen { // heimnetz: charged
		tb.meter.chargeArraySet(index, alen, cap(tb.array))
	}
	switch {
	case index == alen:
		tb.array = append(tb.array, value)
	case index > alen:
		for i := 0; i < (index - alen); i++ {
			tb.array = append(tb.array, LNil)
		}
		tb.array = append(tb.array, value)
	case index < alen:
		tb.array[index] = value
	}
}

// RawSetString sets a given LValue to a given string index without the __newindex metamethod.
func (tb *LTable) RawSetString(key string, value LValue) {
	if tb.strdict == nil {
		if tb.meter != nil { // heimnetz: charged
			tb.meter.charge(mapBaseBytes + defaultHashCap*hashEntryBytes/2)
		}
		tb.strdict = make(map[string]LValue, defaultHashCap)
	}
	if tb.keys == nil { // heimnetz patch 18: only strdict and sorder so far
		_, had := tb.strdict[key]
		if value != LNil {
			if !had {
				if tb.meter != nil { // heimnetz: a new key is charged
					tb.meter.charge(hashEntryBytes)
				}
				tb.sorder = append(tb.sorder, key)
			}
			tb.strdict[key] = value
			return
		}
		if !had {
			return
		}
		tb.orderKeys()
	}

	if value == LNil {
		// heimnetz patch 15: the key stays in keys/k2i so next() can go on
		// from it; compactKeys drops it when a new key is added.
		delete(tb.strdict, key)
	} else {
		lkey := LString(key)
		if _, ok := tb.k2i[lkey]; !ok {
			if tb.meter != nil { // heimnetz: a new key is charged
				tb.meter.charge(hashEntryBytes)
			}
			tb.compactKeys() // heimnetz patch 15: forget deleted keys (may replace strdict)
			tb.k2i[lkey] = len(tb.keys)
			tb.keys = append(tb.keys, lkey)
		}
		tb.strdict[key] = value
	}
}

// RawSetH sets a given LValue to a given index without the __newindex metamethod.
func (tb *LTable) RawSetH(key LValue, value LValue) {
	if s, ok := key.(LString); ok {
		tb.RawSetString(string(s), value)
		return
	}
	if tb.dict == nil {
		if tb.meter != nil { // heimnetz: charged
			tb.meter.charge(mapBaseBytes + int64(len(tb.strdict))*hashEntryBytes/2)
		}
		tb.dict = make(map[LValue]LValue, len(tb.strdict))
	}
	if tb.keys == nil {
		tb.orderKeys() // heimnetz patch 18
	}

	if value == LNil {
		// heimnetz patch 15: the key stays in keys/k2i so next() can go on
		// from it; compactKeys drops it when a new key is added.
		delete(tb.dict, key)
	} else {
		if _, ok := tb.k2i[key]; !ok {
			if tb.meter != nil { // heimnetz: a new key is charged
				tb.meter.charge(hashEntryBytes)
			}
			tb.compactKeys() // heimnetz patch 15: forget deleted keys (may replace dict)
			tb.k2i[key] = len(tb.keys)
			tb.keys = append(tb.keys, key)
		}
		tb.dict[key] = value
	}
}

// RawGet returns an LValue associated with a given key without __index metamethod.
func (tb *LTable) RawGet(key LValue) LValue {
	switch v := key.(type) {
	case LNumber:
		if isArrayKey(v) {
			if tb.array == nil {
				return LNil
			}
			index := int(v) - 1
			if index >= len(tb.array) {
				return LNil
			}
			return tb.array[index]
		}
	case LString:
		if tb.strdict == nil {
			return LNil
		}
		if ret, ok := tb.strdict[string(v)]; ok {
			return ret
		}
		return LNil
	}
	if tb.dict == nil {
		return LNil
	}
	if v, ok := tb.dict[key]; ok {
		return v
	}
	return LNil
}

// RawGetInt returns an LValue at position `key` without __index metamethod.
func (tb *LTable) RawGetInt(key int) LValue {
	if tb.array == nil {
		return LNil
	}
	index := int(key) - 1
	if index >= len(tb.array) || index < 0 {
		return LNil
	}
	return tb.array[index]
}

// RawGet returns an LValue associated with a given key without __index metamethod.
func (tb *LTable) RawGetH(key LValue) LValue {
	if s, sok := key.(LString); sok {
		if tb.strdict == nil {
			return LNil
		}
		if v, vok := tb.strdict[string(s)]; vok {
			return v
		}
		return LNil
	}
	if tb.dict == nil {
		return LNil
	}
	if v, ok := tb.dict[key]; ok {
		return v
	}
	return LNil
}

// RawGetString returns an LValue associated with a given key without __index metamethod.
func (tb *LTable) RawGetString(key string) LValue {
	if tb.strdict == nil {
		return LNil
	}
	if v, vok := tb.strdict[string(key)]; vok {
		return v
	}
	return LNil
}

// ForEach iterates over this table of elements, yielding each in turn to a given function.
func (tb *LTable) ForEach(cb func(LValue, LValue)) {
	if tb.array != nil {
		for i, v := range tb.array {
			if v != LNil {
				cb(LNumber(i+1), v)
			}
		}
	}
	if tb.strdict != nil {
		for k, v := range tb.strdict {
			if v != LNil {
				cb(LString(k), v)
			}
		}
	}
	if tb.dict != nil {
		for k, v := range tb.dict {
			if v != LNil {
				cb(k, v)
			}
		}
	}
}

// This function is equivalent to lua_next ( http://www.lua.org/manual/5.1/manual.html#lua_next ).
// heimnetz patch 15: a key that is not in the table ends the traversal
// (nil, nil); baselib's next and pairs raise "invalid key to 'next'".
func (tb *LTable) Next(key LValue) (LValue, LValue) {
	k, v, _ := tb.next(key)
	return k, v
}

// next is Next that also reports whether key was valid.
func (tb *LTable) next(key LValue) (LValue, LValue, bool) {
	if tb.keys == nil && len(tb.sorder) != 0 {
		if tb.meter == nil {
			tb.orderKeys() // heimnetz patch 18
		} else if k, v, valid, done := tb.nextInOrder(key); done { // heimnetz patch 22
			return k, v, valid
		}
	}
	init := false
	if key == LNil {
		key = LNumber(0)
		init = true
	}

	if init || key != LNumber(0) {
		if kv, ok := key.(LNumber); ok && isInteger(kv) && int(kv) >= 0 && kv < LNumber(MaxArrayIndex) {
			index := int(kv)
			if tb.array != nil {
				from := index
				for ; index < len(tb.array); index++ {
					if v := tb.array[index]; v != LNil {
						if tb.meter != nil { // heimnetz: skipping nils is work
							tb.meter.workSlots(index - from)
						}
						return LNumber(index + 1), v, true
					}
				}
				if tb.meter != nil { // heimnetz
					tb.meter.workSlots(index - from)
				}
			}
			if tb.array == nil || index == len(tb.array) {
				if (tb.dict == nil || len(tb.dict) == 0) && (tb.strdict == nil || len(tb.strdict) == 0) {
					return LNil, LNil, true
				}
				key = tb.keys[0]
				if v := tb.RawGetH(key); v != LNil {
					return key, v, true
				}
			}
		}
	}

	at, ok := tb.k2i[key]
	if !ok { // heimnetz patch 15: not a key (or one compactKeys dropped)
		return LNil, LNil, false
	}
	from := at + 1
	for i := from; i < len(tb.keys); i++ {
		key := tb.keys[i]
		if v := tb.RawGetH(key); v != LNil {
			if tb.meter != nil { // heimnetz: skipping removed keys is work
				tb.meter.workSlots(i - from)
			}
			return key, v, true
		}
	}
	if tb.meter != nil { // heimnetz
		tb.meter.workSlots(len(tb.keys) - from)
	}
	return LNil, LNil, true
}
