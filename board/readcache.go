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
// RTM_GETLINK dump (netclass and wan), the nl80211 dumps (wifi and
// wifi-stations) and a fixture's stand-ins (uname, for the uname plugin
// and device), and what was parsed from some of them (cachedValue). A
// collection round reads each once instead of two or three times; a
// value is never older than the second it was read in. (The release
// files and board.json, which device and openwrt share, are kept by
// stableRead, checked once a second.)
type readCache struct {
	mu      sync.Mutex
	second  int64
	entries map[string]cachedRead
	bytes   int
	// values holds what was parsed from shared sources this second
	// (cachedValue).
	values map[string]cachedRead
}

// cachedRead is one source's bytes, or the value parsed from them, (or
// error) in the current second.
type cachedRead struct {
	data  []byte
	value any
	err   error
}

// maxCachedValues bounds the parsed values the read cache holds at once
// (there are three kinds: links, routes, /proc/stat).
const maxCachedValues = 8

// sharedFiles are the files readFile keeps in the read cache, besides
// every fixture file below FixtureDir.
var sharedFiles = map[string]bool{
	fileStat: true, fileRoute: true, fileIPv6Route: true, fileCPUInfo: true,
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
		c.second, c.entries, c.values, c.bytes = sec, nil, nil, 0
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
			c.entries[key] = cachedRead{data: data, err: err}
		}
	}
	return data, err
}

// cachedValue returns what parse gave for key in the current second of
// the board's clock, calling it when this second has not parsed key yet:
// the value parsed from a source that several readers read in one
// collection round (the RTM_GETLINK dump for netclass and wan, the
// routing tables for wan and nat-traffic's LAN prefixes, /proc/stat for
// cpu and stat), so that a round parses it once, as it reads it once.
// The value is shared: callers must not change it, and exported readers
// hand out copies.
func cachedValue[T any](b *Board, key string, parse func() (T, error)) (T, error) {
	sec := b.now().Unix()
	c := &b.reads
	c.mu.Lock()
	if c.second != sec {
		c.second, c.entries, c.values, c.bytes = sec, nil, nil, 0
	}
	if e, ok := c.values[key]; ok {
		c.mu.Unlock()
		v, _ := e.value.(T)
		return v, e.err
	}
	c.mu.Unlock()
	v, err := parse()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.second == sec && len(c.values) < maxCachedValues {
		if c.values == nil {
			c.values = make(map[string]cachedRead)
		}
		if _, ok := c.values[key]; !ok {
			c.values[key] = cachedRead{value: v, err: err}
		}
	}
	return v, err
}

// SetClock makes now the board's clock: Clock reports it and the read
// cache counts its seconds. For tests and benchmarks that run many
// collection rounds a second; the agent's board keeps time.Now.
func (b *Board) SetClock(now func() time.Time) { b.now = now }
