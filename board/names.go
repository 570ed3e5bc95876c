package board

import (
	"strings"
	"sync"
)

// maxNames bounds how many names a nameTable keeps; past it a name is
// copied each time, as without the table.
const maxNames = 2048

// nameTable interns the field names of the kernel's counter files
// (/proc/net/netstat, snmp, snmp6 and /proc/meminfo): a few hundred
// names, the same at every read. A reader's result must not share the
// text of the file it was parsed from (a plugin keeping one name would
// keep the whole file alive, unseen by its memory accounting), so each
// name was copied out of it: hundreds of allocations a collection round.
// The table hands out one exact-size copy per name instead, shared by
// every read. The zero value is ready to use.
type nameTable struct {
	mu sync.Mutex
	m  map[string]string
}

// intern returns a string equal to s that does not share s's memory.
// The caller holds t.mu; a nil table copies s.
func (t *nameTable) intern(s string) string {
	if t == nil {
		return strings.Clone(s)
	}
	if v, ok := t.m[s]; ok {
		return v
	}
	v := strings.Clone(s)
	if len(t.m) < maxNames {
		if t.m == nil {
			t.m = make(map[string]string)
		}
		t.m[v] = v
	}
	return v
}
