//go:build !linux

package board

import (
	"io"
	"io/fs"
	"os"
)

// readPath reads the file dir+name (dir ends in "/"), at most max+1
// bytes.
func readPath(dir, name string, max int) ([]byte, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	f, err := os.Open(dir + name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, int64(max)+1))
}
