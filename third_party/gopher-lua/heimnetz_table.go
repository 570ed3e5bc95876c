package lua

// heimnetz patch 15: tables forget deleted keys (see PATCHES.md).

// minDeadKeys is how many deleted keys a table keeps before compactKeys may
// drop them: small tables never pay for a rebuild.
const minDeadKeys = 32

// compactKeys runs before a new key is added, before it is stored in
// strdict or dict (it may replace them). Deleting a key leaves it in
// keys and k2i, so that next() can go on from a key cleared during a
// traversal, as Lua 5.1 allows; when the deleted keys are at least
// minDeadKeys and at least as many as the live ones, it rebuilds keys and
// k2i from the live keys in their order, and strdict and dict with only
// their live entries (Go maps never give back their buckets). Each rebuild
// costs O(live + dead) and follows at least max(live, minDeadKeys) deletions
// since the last one, so it is amortised O(1) per deletion. It never runs
// on a deletion: only adding a new key, which Lua 5.1 leaves undefined
// during a traversal, can make a key unknown to next(), and next() then
// reports it as invalid instead of failing.
//
// The meter is credited hashEntryBytes per dropped key, what it was charged
// (or found by a recount) when the key was added: it keeps MemoryInUse close
// to what a recount would find, so a table with changing keys does not force
// needless recounts.
func (tb *LTable) compactKeys() {
	live := len(tb.strdict) + len(tb.dict)
	dead := len(tb.keys) - live
	if dead < minDeadKeys || dead < live {
		return
	}
	if tb.meter != nil {
		tb.meter.workSlots(len(tb.keys))
	}
	keys := make([]LValue, 0, live+minDeadKeys)
	k2i := make(map[LValue]int, live)
	var strdict map[string]LValue
	if tb.strdict != nil {
		strdict = make(map[string]LValue, len(tb.strdict))
	}
	var dict map[LValue]LValue
	if tb.dict != nil {
		dict = make(map[LValue]LValue, len(tb.dict))
	}
	for _, k := range tb.keys {
		var v LValue = LNil
		if s, ok := k.(LString); ok {
			if sv, found := tb.strdict[string(s)]; found {
				v = sv
				strdict[string(s)] = sv
			}
		} else if dv, found := tb.dict[k]; found {
			v = dv
			dict[k] = dv
		}
		if v == LNil {
			continue
		}
		k2i[k] = len(keys)
		keys = append(keys, k)
	}
	tb.keys, tb.k2i, tb.strdict, tb.dict = keys, k2i, strdict, dict
	tb.hint = 0 // patch 23: the new maps are made for the live keys only
	if tb.meter != nil {
		tb.meter.credit(int64(dead) * hashEntryBytes)
	}
}

// heimnetz patch 18: key order is built on demand (see PATCHES.md).

// orderKeys gives the table its keys slice and k2i map, which next()
// walks and patch 15 keeps deleted keys in. Until then a table whose
// keys are all strings keeps their order in sorder alone: a table that
// is only filled and read by name, as most tables a host function
// returns and most label tables are, never pays for an interface value
// and a k2i entry per key. The order is the one keys would have had:
// that of first insertion, which sorder keeps because a key leaves it
// only here (a deletion calls orderKeys first). It runs once per table;
// the meter was charged for every key as it was added.
func (tb *LTable) orderKeys() {
	n := len(tb.sorder)
	keys := make([]LValue, n, n+n/4+1)
	k2i := make(map[LValue]int, n)
	for i, s := range tb.sorder {
		k := LValue(LString(s))
		keys[i] = k
		k2i[k] = i
	}
	tb.keys, tb.k2i, tb.sorder = keys, k2i, nil
}
