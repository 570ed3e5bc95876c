package board

import (
	"sync"
	"time"
)

// racyWindow is how long after a file's last change (mtime or ctime) a
// read of it must start for what was read to be trusted while the
// file's stamp stays the same. The kernel stamps a file from a coarse
// clock (one tick, 1-10 ms), so two writes within one tick that keep
// the size keep the stamp too: a file read in the tick of its last
// change may change again without its stamp showing it ("racily
// clean", as git calls it). Two seconds also covers filesystems that
// keep whole seconds, or two (FAT).
const racyWindow = 2 * time.Second

// stableFiles names the files whose parsed value a Board keeps until
// their stamp changes (stableRead). They are ordinary files on a
// router, on tmpfs or the overlay, which a daemon rewrites when it has
// news (dnsmasq its leases with ftruncate and write, odhcpd its hosts
// file) or which change only with the firmware (the release files,
// board.json, /tmp/sysinfo written at boot), unlike the pseudo-files of
// /proc and /sys, which the kernel makes up at each read and whose
// stamps say nothing. The choice is by name, not by filesystem, so a
// fixture tree (where /proc and /sys are ordinary files too) keeps
// exactly what a router would keep and reads the rest afresh.
//
// The value says whether one check of the file stands for the rest of
// the current second of the board's clock, as the read cache does for
// the sources several readers share in one collection round; the
// others are checked at every call.
var stableFiles = map[string]bool{
	fileOpenWrtRelease: true, fileOSRelease: true, fileBoardJSON: true,
	fileSysinfoModel: false, fileSysinfoBoard: false,
	fileDnsmasqLeases: false, fileDnsmasqLeasesDebian: false, fileOdhcpdLeases: false,
}

// fileStamp is what stat says of a file that changes when its contents
// do: the inode (a file replaced by rename has another), its size and
// its modification and status change times in nanoseconds.
type fileStamp struct {
	dev, ino     uint64
	size         int64
	mtime, ctime int64
}

// changed is the later of the stamp's mtime and ctime.
func (s fileStamp) changed() time.Time {
	return time.Unix(0, max(s.mtime, s.ctime))
}

// stableCache holds, for each of stableFiles that has been read, the
// value parsed from it and the stamp it had. It holds at most one entry
// per name of stableFiles (eight), each a parsed value bounded by its
// reader (at most maxLeases leases, for instance).
type stableCache struct {
	mu      sync.Mutex
	entries map[string]stableEntry
	// wall is the clock the racy window is measured on: the system's, on
	// which the kernel stamps files, whatever clock the board reports
	// (SetClock). Tests replace it.
	wall func() time.Time
	// reads counts each stable file's reads, for tests.
	reads map[string]int
}

// stableEntry is one file's parsed value.
type stableEntry struct {
	stamp fileStamp
	// trusted is false when the read began within racyWindow of the
	// file's last change: the next call reads the file again.
	trusted bool
	// second is the second of the board's clock the stamp was last
	// checked in.
	second int64
	// variant tells apart parses of the same bytes with different
	// arguments (a bound that depends on another file).
	variant int
	value   any
	err     error
}

// stableRead returns parse's result for the file name, one of
// stableFiles, reading and parsing the file only when its stamp
// differs from the one it had when last read, or that read was racy.
// The result (and a parse error) is kept; a stat or read error is not
// (the entry is forgotten, so a file deleted and recreated is read
// afresh). The returned value is shared with later calls: callers that
// hand it out must copy what a receiver could change. variant must be
// the same for calls whose parse functions are the same.
func stableRead[T any](b *Board, name string, variant int, parse func(data []byte) (T, error)) (T, error) {
	c := &b.stable
	perSecond, listed := stableFiles[name]
	if !listed {
		data, err := b.readFileNow(name)
		if err != nil {
			var zero T
			return zero, err
		}
		return parse(data)
	}
	sec := b.now().Unix()
	if perSecond {
		c.mu.Lock()
		e, ok := c.entries[name]
		c.mu.Unlock()
		if ok && e.trusted && e.second == sec && e.variant == variant {
			v, _ := e.value.(T)
			return v, e.err
		}
	}
	wall := time.Now
	if c.wall != nil {
		wall = c.wall
	}
	start := wall()
	stamp, ok, err := b.stamp(name)
	if isNotExist(err) {
		// Absent: no need to try opening it, and the entry is gone.
		c.forget(name)
		var zero T
		return zero, fileError(name, err)
	}
	if ok {
		c.mu.Lock()
		e, hit := c.entries[name]
		if hit && e.trusted && e.stamp == stamp && e.variant == variant {
			e.second = sec
			c.entries[name] = e
			c.mu.Unlock()
			v, _ := e.value.(T)
			return v, e.err
		}
		c.mu.Unlock()
	}
	data, err := b.readFileNow(name)
	c.mu.Lock()
	if c.reads == nil {
		c.reads = make(map[string]int, len(stableFiles))
	}
	c.reads[name]++
	c.mu.Unlock()
	if err != nil || !ok {
		c.forget(name)
		if err != nil {
			var zero T
			return zero, err
		}
		return parse(data)
	}
	v, perr := parse(data)
	e := stableEntry{
		stamp:   stamp,
		trusted: start.Sub(stamp.changed()) >= racyWindow,
		second:  sec,
		variant: variant,
		value:   v,
		err:     perr,
	}
	c.mu.Lock()
	if c.entries == nil {
		c.entries = make(map[string]stableEntry, len(stableFiles))
	}
	c.entries[name] = e
	c.mu.Unlock()
	return v, perr
}

// forget drops name's entry.
func (c *stableCache) forget(name string) {
	c.mu.Lock()
	delete(c.entries, name)
	c.mu.Unlock()
}
