package lua

// heimnetz patch 22: next() walks a table still in patch 18's form
// without building its key index (see PATCHES.md).

// orderHints is how many traversals of such tables a meter follows at
// once (a loop inside a loop, a coroutine's): a traversal that is not
// followed builds the index and goes on as before.
const orderHints = 4

// orderHint reports where s is in sorder, if it is at one of the
// positions the meter's hints hold: the place after the last key a
// traversal was given. A hint is only a guess; the key at that place
// decides, so hints from another table or a stale one are harmless.
func (m *Meter) orderHint(sorder []string, s string) (int, bool) {
	for i, at := range m.orderAt {
		if int(at) < len(sorder) && sorder[at] == s {
			return i, true
		}
	}
	return 0, false
}

// nextInOrder is next() for a table with keys nil and sorder not empty:
// its string keys, all live (a deletion builds the index), are in
// sorder, dict is empty, and the array part comes first as always. It
// gives the same keys, values and validity as next() after orderKeys,
// and charges the same work. done is false when it cannot follow key
// (a string at no hinted place, a key of another kind past the array);
// it has then built the index, and next() goes on with it.
func (tb *LTable) nextInOrder(key LValue) (k, v LValue, valid, done bool) {
	m := tb.meter
	init := key == LNil
	if init {
		key = LNumber(0)
	}
	if init || key != LNumber(0) {
		if kv, ok := key.(LNumber); ok && isInteger(kv) && int(kv) >= 0 && kv < LNumber(MaxArrayIndex) {
			index := int(kv)
			if tb.array != nil {
				from := index
				for ; index < len(tb.array); index++ {
					if v := tb.array[index]; v != LNil {
						m.workSlots(index - from)
						return LNumber(index + 1), v, true, true
					}
				}
				m.workSlots(index - from)
			}
			if tb.array == nil || index == len(tb.array) {
				// The first string key; a new traversal takes a hint.
				slot := m.orderNext
				m.orderNext = (m.orderNext + 1) % orderHints
				return tb.orderStep(slot, 0)
			}
		}
	}
	if s, ok := key.(LString); ok {
		if slot, ok := m.orderHint(tb.sorder, string(s)); ok {
			return tb.orderStep(slot, int(m.orderAt[slot])+1)
		}
	}
	tb.orderKeys()
	return LNil, LNil, false, false
}

// orderStep gives the string key at place at (or the end of the table)
// and moves hint slot to it.
func (tb *LTable) orderStep(slot, at int) (LValue, LValue, bool, bool) {
	if at >= len(tb.sorder) {
		return LNil, LNil, true, true
	}
	tb.meter.orderAt[slot] = int32(at)
	s := tb.sorder[at]
	return LString(s), tb.strdict[s], true, true
}
