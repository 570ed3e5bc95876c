package board

import (
	"strings"
	"sync"
	"time"
)

// maxCachedReads and maxCachedBytes bound what the read cache holds at
// once (it keeps the last second's reads until the next read); a read
// past either is not cached.
const (
	maxCachedReads = 64
	maxCachedBytes = 256 << 10
)

// readCache holds, for the current second of the board's clock, what
// the sources that several readers or several plugins read in one
// collection round gave: /proc/stat (cpu and stat), the routing tables
// (wan and the LAN prefixes of nat-traffic), /proc/cpuinfo, the
// release files and board.json (device and openwrt), the RTM_GETLINK
// dump (netclass and wan) and the nl80211 dumps (wifi and
// wifi-stations). A collection round reads each once instead of two or
// three times; a value is never older than the second it was read in.
type readCache struct {
	mu      sync.Mutex
	second  int64
	entries map[string]cachedRead
	bytes   int
}

// cachedRead is one source's bytes (or error) in the current second.
type cachedRead struct {
	data []byte
	err  error
}

// sharedFiles are the files readFile keeps in the read cache, besides
// every fixture file below FixtureDir.
var sharedFiles = map[string]bool{
	fileStat: true, fileRoute: true, fileIPv6Route: true, fileCPUInfo: true,
	fileOpenWrtRelease: true, fileOSRelease: true, fileBoardJSON: true,
	fileKernelRelease: true, fileHostname: true,
}

// cacheable reports whether readFile keeps name in the read cache.
func cacheable(name string) bool {
	return sharedFiles[name] || strings.HasPrefix(name, FixtureDir+"/")
}

// cached returns what read gave for key in the current second of the
// board's clock, calling it when this second has not read key yet. The
// bytes are shared: callers must not change them.
func (b *Board) cached(key string, read func() ([]byte, error)) ([]byte, error) {
	sec := b.now().Unix()
	c := &b.reads
	c.mu.Lock()
	if c.second != sec {
		c.second, c.entries, c.bytes = sec, nil, 0
	}
	if e, ok := c.entries[key]; ok {
		c.mu.Unlock()
		return e.data, e.err
	}
	c.mu.Unlock()
	data, err := read()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.second == sec && len(c.entries) < maxCachedReads && c.bytes+len(data) <= maxCachedBytes {
		if c.entries == nil {
			c.entries = make(map[string]cachedRead)
		}
		if _, ok := c.entries[key]; !ok {
			c.bytes += len(data)
			c.entries[key] = cachedRead{data, err}
		}
	}
	return data, err
}

// SetClock makes now the board's clock: Clock reports it and the read
// cache counts its seconds. For tests and benchmarks that run many
// collection rounds a second; the agent's board keeps time.Now.
func (b *Board) SetClock(now func() time.Time) { b.now = now }
