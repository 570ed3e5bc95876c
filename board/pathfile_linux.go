package board

import (
	"bytes"
	"io/fs"
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
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	var fd int
	var err error
	for {
		fd, err = unix.Open(dir+name, unix.O_RDONLY|unix.O_CLOEXEC|unix.O_NOCTTY, 0)
		if err != unix.EINTR {
			break
		}
	}
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
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
