package lua

import (
	"runtime"
	"strconv"
	"testing"
)

// TestMeterSubstringsDoNotKeepParents keeps a short piece of each of n
// strings of 2 MB: the meter counts only the pieces, so the pieces must
// not keep their parents alive (patch 11).
func TestMeterSubstringsDoNotKeepParents(t *testing.T) {
	for _, tc := range []struct {
		name, piece string
		n           int // strings kept; gmatch scans its whole subject first
	}{
		{"sub", `big:sub(5, 20)`, 100},
		{"match capture", `big:match("(y)%d")`, 100},
		{"match whole", `big:match("xxxxxxxx")`, 100},
		{"find capture", `select(3, big:find("(y%d)"))`, 100},
		{"gmatch capture", `(function() for p in big:gmatch("(y)%d") do return p end end)()`, 8},
		{"gsub callback", `(function() local p big:gsub("^y%d", function(s) p = s end, 1) return p end)()`, 100},
		{"gsub __index", `(function() local p local t = setmetatable({}, {__index = function(_, k) p = k end})
			big:gsub("^y%d", t, 1) return p end)()`, 100},
	} {
		t.Run(tc.name, func(t *testing.T) {
			L, m := newMeteredState(t, 0)
			m.SetMemoryLimit(8 << 20)
			src := `keep = {}
				for i = 1, ` + strconv.Itoa(tc.n) + ` do
					local big = "y" .. i .. string.rep("x", 2000000)
					keep[i] = ` + tc.piece + `
					assert(type(keep[i]) == "string" and #keep[i] < 100, tostring(keep[i]))
				end`
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			if err := runChunk(L, src); err != nil {
				t.Fatal(err)
			}
			runtime.GC()
			runtime.ReadMemStats(&after)
			// Kept parents would add n × 2 MB.
			if grew := int64(after.HeapAlloc) - int64(before.HeapAlloc); grew > int64(tc.n)<<20 {
				t.Fatalf("Go heap grew by %d MiB keeping %d short pieces (meter: %d KiB)", grew>>20, tc.n, m.MemoryInUse()>>10)
			}
			runtime.KeepAlive(L)
		})
	}
}

// TestSubstringsUnmeteredShareParent documents that without a meter the
// upstream behaviour (no copy) is kept.
func TestSubstringsUnmeteredShareParent(t *testing.T) {
	L := NewState()
	defer L.Close()
	big := "0123456789"
	if got := L.substring(big, 2, 5); got != "234" {
		t.Fatalf("substring = %q", got)
	}
}
