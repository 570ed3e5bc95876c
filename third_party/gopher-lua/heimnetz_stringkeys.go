package lua

// heimnetz patch 20: a host can read a table of string keys by name
// (see PATCHES.md).

// StringKeyCount returns how many entries tb holds when every one of them
// has a string key, and false when tb has an array part or a key of
// another type. With it a Go function that expects a table of names
// (labels, options) can read the entries it knows with RawGetString and
// tell whether there are others, without walking the table with Next:
// Next looks every key up twice and, on a table filled only by name,
// first builds its key index (patch 18).
func (tb *LTable) StringKeyCount() (int, bool) {
	if len(tb.array) != 0 || len(tb.dict) != 0 {
		return 0, false
	}
	return len(tb.strdict), true
}

// ForEachString calls cb with each entry of tb that has a string key, in
// no particular order, without making an LValue of the key. With
// StringKeyCount it walks a table of names whole; cb must not change tb.
func (tb *LTable) ForEachString(cb func(key string, value LValue)) {
	for k, v := range tb.strdict {
		cb(k, v)
	}
}
