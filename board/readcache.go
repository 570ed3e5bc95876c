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
	c := &b.reads
	e := b.thisSecond(&c.entries, key, func() cachedRead {
		data, err := read()
		return cachedRead{data: data, err: err}
	}, func(e cachedRead) bool {
		return len(c.entries) < maxCachedReads && c.bytes+len(e.data) <= maxCachedBytes
	})
	return e.data, e.err
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
	c := &b.reads
	e := b.thisSecond(&c.values, key, func() cachedRead {
		v, err := parse()
		return cachedRead{value: v, err: err}
	}, func(cachedRead) bool { return len(c.values) < maxCachedValues })
	v, _ := e.value.(T)
	return v, e.err
}

// thisSecond returns the entry of table (one of the read cache's maps)
// for key in the current second of the board's clock, calling fill when
// this second has none. The cache starts afresh each second; a new
// entry is kept when fits (called with the cache locked) allows it.
// fill runs unlocked, so a slow source does not hold up the others.
func (b *Board) thisSecond(table *map[string]cachedRead, key string, fill func() cachedRead, fits func(cachedRead) bool) cachedRead {
	sec := b.now().Unix()
	c := &b.reads
	c.mu.Lock()
	if c.second != sec {
		c.second, c.entries, c.values, c.bytes = sec, nil, nil, 0
	}
	if e, ok := (*table)[key]; ok {
		c.mu.Unlock()
		return e
	}
	c.mu.Unlock()
	e := fill()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.second == sec && fits(e) {
		if *table == nil {
			*table = make(map[string]cachedRead)
		}
		if _, ok := (*table)[key]; !ok {
			c.bytes += len(e.data)
			(*table)[key] = e
		}
	}
	return e
}

// SetClock makes now the board's clock: Clock reports it and the read
// cache counts its seconds. For tests and benchmarks that run many
// collection rounds a second; the agent's board keeps time.Now.
func (b *Board) SetClock(now func() time.Time) { b.now = now }
