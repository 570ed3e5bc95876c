package board

import (
	"bytes"
	"io"
	"io/fs"
	"slices"
	"sync"

	"golang.org/x/sys/unix"
)

// readPath reads the file dir+name (dir ends in "/") with plain system
// calls: open, read until end of file, close. os.Open costs three times
// the open itself here, since it makes the descriptor non-blocking and
// offers it to the network poller (a pseudo-file of /proc or /sys is
// read in microseconds and never waits); that was a third of a
// collection round. At most max+1 bytes are read.
func readPath(dir, name string, max int) ([]byte, error) {
	fd, err := openFD(dir, name, unix.O_NOCTTY)
	if err != nil {
		return nil, err
	}
	defer unix.Close(fd)
	sp := scratchPool.Get().(*[]byte)
	buf := (*sp)[:0]
	defer func() {
		if cap(buf) <= maxPooledScratch {
			*sp = buf[:0]
		}
		scratchPool.Put(sp)
	}()
	for len(buf) <= max {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := unix.Read(fd, buf[len(buf):min(cap(buf), max+1)])
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return nil, &fs.PathError{Op: "read", Path: name, Err: err}
		}
		if n == 0 {
			break
		}
		buf = buf[:len(buf)+n]
	}
	// The caller keeps an exact copy; growing a fresh buffer from a
	// small start per file allocated twice a file's size and more.
	return bytes.Clone(buf), nil
}

// Files are read into a pooled scratch buffer of scratchSize bytes,
// grown for a larger file and kept up to maxPooledScratch.
const (
	scratchSize      = 8 << 10
	maxPooledScratch = 64 << 10
)

var scratchPool = sync.Pool{New: func() any {
	b := make([]byte, 0, scratchSize)
	return &b
}}

// readDirNames returns the names of the entries of the directory
// dir+name (dir ends in "/"), sorted, with plain system calls: open,
// getdents until it gives nothing, close. os.ReadDir costs three more
// (it sets the descriptor non-blocking and offers it to the network
// poller, which refuses it), for each of the few directories a
// collection round lists (hwmon chips, thermal zones).
func readDirNames(dir, name string) ([]string, error) {
	fd, err := openFD(dir, name, unix.O_DIRECTORY)
	if err != nil {
		return nil, err
	}
	defer unix.Close(fd)
	sp := scratchPool.Get().(*[]byte)
	defer scratchPool.Put(sp)
	buf := (*sp)[:cap(*sp)]
	var names []string
	for {
		n, err := unix.ReadDirent(fd, buf)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return nil, &fs.PathError{Op: "readdirent", Path: name, Err: err}
		}
		if n <= 0 {
			break
		}
		_, _, names = unix.ParseDirent(buf[:n], -1, names)
	}
	slices.Sort(names)
	return names, nil
}

// openPath opens the file dir+name (dir ends in "/") for reading with a
// plain open(2), for a reader that streams a file too large to read
// whole (the conntrack table): os.Open would offer the descriptor to
// the network poller first (five more system calls for a /proc file,
// which never waits).
func openPath(dir, name string) (io.ReadCloser, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	for {
		fd, err := unix.Open(dir+name, unix.O_RDONLY|unix.O_CLOEXEC|unix.O_NOCTTY, 0)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return nil, &fs.PathError{Op: "open", Path: name, Err: err}
		}
		return &pathFile{fd: fd, name: name}, nil
	}
}

// pathFile is a file opened by openPath.
type pathFile struct {
	fd   int
	name string
}

// Read reads with read(2); 0 bytes read is the end of the file.
func (f *pathFile) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	for {
		n, err := unix.Read(f.fd, p)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return 0, &fs.PathError{Op: "read", Path: f.name, Err: err}
		}
		if n == 0 {
			return 0, io.EOF
		}
		return n, nil
	}
}

// Close closes the descriptor; a second Close does nothing.
func (f *pathFile) Close() error {
	if f.fd < 0 {
		return nil
	}
	fd := f.fd
	f.fd = -1
	return unix.Close(fd)
}

// openFD opens dir+name (dir ends in "/") read-only with the extra flags
// and returns the descriptor, for readPath and readDirNames: a name that
// is not a valid fs path is refused, and an open interrupted by a signal
// is tried again.
func openFD(dir, name string, flags int) (int, error) {
	if !fs.ValidPath(name) {
		return -1, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	for {
		fd, err := unix.Open(dir+name, unix.O_RDONLY|unix.O_CLOEXEC|flags, 0)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return -1, &fs.PathError{Op: "open", Path: name, Err: err}
		}
		return fd, nil
	}
}
