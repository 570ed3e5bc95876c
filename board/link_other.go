//go:build !linux

package board

import "fmt"

// rtnlLinkDump reports ErrNotSupported: rtnetlink exists only on Linux.
func rtnlLinkDump() ([]byte, error) {
	return nil, fmt.Errorf("board: rtnetlink: %w", ErrNotSupported)
}
