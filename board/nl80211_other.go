//go:build !linux

package board

import (
	"fmt"
)

// nl80211Dump reports ErrNoWifi: nl80211 exists only on Linux.
func nl80211Dump(req nl80211Request) ([]byte, error) {
	return nil, fmt.Errorf("board: nl80211: %w", ErrNoWifi)
}
