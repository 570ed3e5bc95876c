package board

import (
	"hash/fnv"
	"io/fs"
	"sync"
	"time"
)

// Bounds on the static-attribute cache: how many files it remembers at
// once (a router has a few chips and zones; past the bound it starts
// afresh) and how long a remembered value is trusted before it is read
// again even though its directory looks the same.
const (
	maxStaticAttrs   = 256
	maxStaticAttrAge = 10 * time.Minute
)

// staticAttrs remembers sysfs attributes that do not change while the
// system runs (a hwmon chip's name and sensor labels, a thermal zone's
// type), so a collection round does not open them again. Each value is
// kept with a signature of the entry set of the directory it was read
// under; a different entry set (a driver reloaded, a chip or zone
// added or removed) or an age past maxStaticAttrAge reads it again.
type staticAttrs struct {
	mu      sync.Mutex
	entries map[string]staticAttr
}

// staticAttr is one remembered attribute: its value, or absent when
// the file did not exist.
type staticAttr struct {
	sig    uint64
	at     time.Time
	value  string
	absent bool
}

// entrySignature hashes a directory's entry names, in the order given.
func entrySignature(names []string) uint64 {
	h := fnv.New64a()
	for _, n := range names {
		_, _ = h.Write([]byte(n))
		_, _ = h.Write([]byte{0})
	}
	return h.Sum64()
}

// staticAttribute is readAttribute for a file that does not change while
// its directory's entry set (whose signature is sig) stays the same. A
// missing file is remembered as missing (err wraps fs.ErrNotExist);
// other errors are not remembered.
func (b *Board) staticAttribute(name string, sig uint64) (string, error) {
	now := b.now()
	c := &b.static
	c.mu.Lock()
	e, ok := c.entries[name]
	c.mu.Unlock()
	if ok && e.sig == sig && now.Sub(e.at) < maxStaticAttrAge && now.Sub(e.at) >= 0 {
		if e.absent {
			return "", fileError(name, fs.ErrNotExist)
		}
		return e.value, nil
	}
	value, err := b.readAttribute(name)
	if err != nil && !isNotExist(err) {
		return "", err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || (len(c.entries) >= maxStaticAttrs && !ok) {
		c.entries = make(map[string]staticAttr)
	}
	c.entries[name] = staticAttr{sig: sig, at: now, value: value, absent: err != nil}
	return value, err
}

// maxSpeedAge bounds how long a remembered link speed is trusted while
// the link's state looks the same: a bond's speed changes with its
// slaves without its own carrier changing.
const maxSpeedAge = 2 * time.Minute

// speedCache remembers each interface's speed attribute with the link
// state it was read in (up, carrier, operstate and carrier changes from
// the RTM_GETLINK dump). An Ethernet link's speed changes only when it is
// negotiated again, which takes the carrier down and counts a carrier
// change, so the speed is read again only when that state differs, or
// after maxSpeedAge. Links whose kernel gives no carrier-change count are
// read every time.
type speedCache struct {
	mu      sync.Mutex
	entries map[string]cachedSpeed
}

// cachedSpeed is one interface's remembered speed.
type cachedSpeed struct {
	state linkSpeedState
	at    time.Time
	speed *int64
}

// linkSpeedState is what must stay the same for a remembered speed to
// stand.
type linkSpeedState struct {
	up             bool
	carrier        bool
	operState      string
	carrierChanges uint64
}

// linkSpeed returns readSpeed of l's speed file, from the cache while l's
// state is the one it was read in.
func (b *Board) linkSpeed(l link) (*int64, error) {
	file := dirNet + "/" + l.name + "/speed"
	if l.carrierChanges == nil {
		return b.readSpeed(file)
	}
	state := linkSpeedState{up: l.up, carrier: l.carrier, operState: l.operState, carrierChanges: *l.carrierChanges}
	now := b.now()
	c := &b.speeds
	c.mu.Lock()
	e, ok := c.entries[l.name]
	c.mu.Unlock()
	if ok && e.state == state && now.Sub(e.at) >= 0 && now.Sub(e.at) < maxSpeedAge {
		return e.speed, nil
	}
	speed, err := b.readSpeed(file)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || (len(c.entries) >= maxStaticAttrs && !ok) {
		c.entries = make(map[string]cachedSpeed)
	}
	c.entries[l.name] = cachedSpeed{state: state, at: now, speed: speed}
	return speed, nil
}
