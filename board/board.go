package board

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// MaxFileSize is the most bytes a Board reads from one file. A larger file
// is an error wrapping ErrTooLarge rather than an unbounded allocation.
const MaxFileSize = 1 << 20

// Board reads device facts from the files below one root directory. A Board
// is safe for concurrent use; it holds no cached state, so every call reads
// the files afresh.
type Board struct {
	fsys fs.FS
	root *os.Root
}

// New returns a Board reading the tree below the directory root ("/" in
// production). The Board keeps the directory open until Close. Symbolic
// links inside the tree are followed only while they stay inside it and are
// relative.
func New(root string) (*Board, error) {
	r, err := os.OpenRoot(root)
	if err != nil {
		return nil, fmt.Errorf("board: open root %q: %w", root, err)
	}
	return &Board{fsys: r.FS(), root: r}, nil
}

// NewFS returns a Board reading from fsys, whose root stands for "/". It is
// meant for fixtures (testing/fstest.MapFS, embedded trees); Close is a
// no-op for it.
func NewFS(fsys fs.FS) *Board {
	return &Board{fsys: fsys}
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
