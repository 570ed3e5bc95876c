package board

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// MaxFileSize is the most bytes a Board reads from one file. A larger file
// is an error wrapping ErrTooLarge rather than an unbounded allocation.
const MaxFileSize = 1 << 20

// Board reads device facts from the files below one root directory. A Board
// is safe for concurrent use. It caches little: the few sources that
// several readers read in one collection round are read once per second
// of its clock (see readCache), the sysfs attributes that do not change
// while the system runs once (staticAttrs), each link's speed once per
// link state (speedCache), the router's ordinary files (release files,
// board.json, DHCP leases) until stat shows they changed (stableFiles),
// the rest afresh on every call (and it remembers which mounts' statfs
// has not returned).
type Board struct {
	fsys fs.FS
	root *os.Root
	// live is true when the root is the running system's "/": then the
	// sources that are not files (statfs, uname, nl80211) ask the kernel;
	// otherwise they come from fixture files in the tree.
	live bool
	// dir, when set, is the directory (ending in "/") whose files
	// readFile opens by their whole path with plain system calls.
	dir string
	// now, statfs and nl80211 are the sources Clock, Filesystems and the
	// Wi-Fi readers use; tests replace them.
	now     func() time.Time
	statfs  func(path string) (FSUsage, error)
	nl80211 func(req nl80211Request) ([]byte, error)
	// stuck holds the mount points whose statfs has not returned.
	stuck sync.Map
	// probe is the agent's latest WAN probe round (SetWANProbe).
	probe wanProbe
	// reads keeps, for the current second, what several readers read.
	reads readCache
	// static keeps the sysfs attributes that do not change while the
	// system runs (staticAttribute).
	static staticAttrs
	// speeds keeps each link's speed while its state stays (linkSpeed).
	speeds speedCache
	// cpuInfo keeps /proc/cpuinfo's parsed value while it cannot change
	// (CPUInfo).
	cpuInfo cpuInfoCache
	// fixtureOrder is a fixture tree's byte order (hostOrder).
	fixtureOrder struct {
		once  sync.Once
		order binary.ByteOrder
	}
	// names interns the kernel's counter names (nameTable).
	names nameTable
	// stable keeps the parsed values of the router's ordinary files
	// (release files, leases) until they change (stableRead).
	stable stableCache
}

// New returns a Board reading the tree below the directory root ("/" in
// production). The Board keeps the directory open until Close. Symbolic
// links inside the tree are followed only while they stay inside it and are
// relative.
//
// When root is "/" the Board is live: Filesystems asks statfs(2), Uname
// uname(2) and the Wi-Fi readers the kernel's nl80211 interface. For any
// other root those come from fixture files in the tree (see FixtureDir).
func New(root string) (*Board, error) {
	r, err := os.OpenRoot(root)
	if err != nil {
		return nil, fmt.Errorf("board: open root %q: %w", root, err)
	}
	b := NewFS(r.FS())
	b.root = r
	if abs, err := filepath.Abs(root); err == nil && abs == "/" {
		// Below "/" there is nothing for os.Root to keep a path from
		// escaping to, yet it opens every directory of a path on its own
		// (sys, class, net, eth0, statistics, then the file: 13 system
		// calls instead of 3 for one sysfs counter), which was a third of
		// a collection round's CPU time. os.DirFS opens the path whole;
		// like the Root's FS it refuses "..", so a path built from a
		// plugin's argument cannot climb out of the directory it names.
		b.fsys = os.DirFS("/")
		b.dir = "/"
		b.live = true
		b.statfs = FilesystemUsage
		b.nl80211 = nl80211Dump
	}
	return b, nil
}

// NewDir returns a Board reading the tree below the directory root the
// way New reads a live "/": each file opened by its whole path, symbolic
// links followed wherever they lead. Statfs and nl80211 results come from
// fixture files in the tree, as for NewFS. It is for trusted trees, such
// as benchmarks of what a router's agent pays per read; use New for
// anything else.
func NewDir(root string) *Board {
	b := NewFS(os.DirFS(root))
	b.dir = filepath.Clean(root) + "/"
	return b
}

// NewFS returns a Board reading from fsys, whose root stands for "/". It is
// meant for fixtures (testing/fstest.MapFS, embedded trees); Close is a
// no-op for it. Its statfs and nl80211 results come from fixture files.
func NewFS(fsys fs.FS) *Board {
	b := &Board{fsys: fsys, now: time.Now}
	b.statfs = b.fixtureStatfs
	b.nl80211 = b.fixtureNL80211
	return b
}

// Close releases the root directory opened by New. The Board must not be
// used afterwards.
func (b *Board) Close() error {
	if b.root == nil {
		return nil
	}
	return b.root.Close()
}

// readFile returns the contents of name, a slash-separated path relative to
// the root such as "proc/loadavg", reading at most MaxFileSize bytes.
func (b *Board) readFile(name string) ([]byte, error) {
	if cacheable(name) {
		return b.cached(name, func() ([]byte, error) { return b.readFileNow(name) })
	}
	return b.readFileNow(name)
}

// readFileNow is readFile without the read cache.
func (b *Board) readFileNow(name string) ([]byte, error) {
	if b.dir != "" {
		data, err := readPath(b.dir, name, MaxFileSize)
		if err != nil {
			return nil, fileError(name, err)
		}
		if len(data) > MaxFileSize {
			return nil, fmt.Errorf("board: /%s: %w (more than %d bytes)", name, ErrTooLarge, MaxFileSize)
		}
		return data, nil
	}
	f, err := b.fsys.Open(name)
	if err != nil {
		return nil, fileError(name, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, fileError(name, err)
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("board: /%s: %w (more than %d bytes)", name, ErrTooLarge, MaxFileSize)
	}
	return data, nil
}

// open opens name, a slash-separated path relative to the root, for a
// reader that streams it.
func (b *Board) open(name string) (io.ReadCloser, error) {
	if b.dir != "" {
		return openPath(b.dir, name)
	}
	return b.fsys.Open(name)
}

// readDirNames returns the names of the entries of the directory name,
// a slash-separated path relative to the root, sorted.
func (b *Board) readDirNames(name string) ([]string, error) {
	if b.dir != "" {
		return readDirNames(b.dir, name)
	}
	entries, err := fs.ReadDir(b.fsys, name)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(entries))
	for i, e := range entries {
		names[i] = e.Name()
	}
	return names, nil
}

// fileError names the file in err once, dropping the duplicate path that
// *fs.PathError would add.
func fileError(name string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return fmt.Errorf("board: /%s: %w", name, err)
}

// isNotExist reports whether err says a file is absent.
func isNotExist(err error) bool {
	return errors.Is(err, fs.ErrNotExist)
}
