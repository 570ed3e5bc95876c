package store

import (
	"fmt"
	"runtime/debug"
)

// guard runs fn and turns a panic, or a memory fault while reading a
// mapped file, into an ErrCorrupt error. bbolt trusts the pages it maps;
// guard is the second line of defence behind the structural check that
// runs before a file is mapped.
func guard(fn func() error) (err error) {
	old := debug.SetPanicOnFault(true)
	defer debug.SetPanicOnFault(old)
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: bbolt failed on the file: %v", ErrCorrupt, p)
		}
	}()
	return fn()
}
