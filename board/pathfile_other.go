//go:build !linux

package board

import (
	"io"
	"io/fs"
	"os"
)

// openPath opens the file dir+name (dir ends in "/") for reading.
func openPath(dir, name string) (io.ReadCloser, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	return os.Open(dir + name)
}

// readDirNames returns the names of the entries of the directory
// dir+name (dir ends in "/"), sorted.
func readDirNames(dir, name string) ([]string, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	entries, err := os.ReadDir(dir + name)
	names := make([]string, len(entries))
	for i, e := range entries {
		names[i] = e.Name()
	}
	return names, err
}

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
