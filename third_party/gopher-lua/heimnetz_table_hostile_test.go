package lua

import (
	"errors"
	"testing"
)

// heimnetz patch 16: keys a table still holds after they were deleted are
// counted. Each hostile churn keeps 256 small live keys, so up to 256
// deleted keys may wait for compaction, and makes every deleted key hold
// 512 KiB: 128 MiB of Go heap if a recount misses them.
var deadKeyChurns = []struct {
	name string
	src  string
}{
	{"string keys", `
local t = {} for i = 1, 256 do t[i + 0.5] = i end
local big = string.rep("x", 512 * 1024)
local i = 0
while i < 600 do i = i + 1 local k = big .. i t[k] = true t[k] = nil end`},
	{"table keys", `
local t = {} for i = 1, 256 do t["live" .. i] = i end
local big = string.rep("x", 512 * 1024)
local i = 0
while i < 600 do i = i + 1 local k = {big .. i} t[k] = true t[k] = nil end`},
}

func TestTableDeadKeysAreCounted(t *testing.T) {
	for _, tc := range deadKeyChurns {
		t.Run(tc.name, func(t *testing.T) {
			err, growth := runBomb(t, tc.src, 8*mib)
			t.Logf("err = %v; Go heap grew by %d MiB", err, growth/mib)
			if !errors.Is(err, ErrMemoryLimit) {
				t.Fatalf("err = %v, want ErrMemoryLimit", err)
			}
			if growth > heapGrowthLimit {
				t.Fatalf("Go heap grew by %d MiB under an 8 MiB cap", growth/mib)
			}
		})
	}
}
