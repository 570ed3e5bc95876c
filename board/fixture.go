package board

import (
	"fmt"
	"strings"
)

// FixtureDir is the directory, below a fixture root, holding what a live
// Board asks the kernel rather than reads from files: statfs(2) results
// and captured nl80211 replies. A live Board (New("/")) never reads it.
//
//	heimnetz-fixture/statfs                 "MOUNTPOINT BSIZE BLOCKS BFREE BAVAIL FILES FFREE" per line
//	heimnetz-fixture/nl80211/interfaces.bin  NL80211_CMD_GET_INTERFACE dump reply
//	heimnetz-fixture/nl80211/stations-IF.bin NL80211_CMD_GET_STATION dump reply for IF
//	heimnetz-fixture/nl80211/survey-IF.bin   NL80211_CMD_GET_SURVEY dump reply for IF
//	heimnetz-fixture/rtnetlink/links.bin     RTM_GETLINK dump reply (optional: without it
//	                                         interfaces are read from /sys/class/net alone)
//	heimnetz-fixture/uname                   uname(2): "FIELD VALUE" per field of struct utsname
//	                                         (optional: without it the six files of
//	                                         /proc/sys/kernel are read; see Board.Uname)
//	heimnetz-fixture/addresses               "IFNAME ADDRESS/PREFIXLEN" per line (WAN addresses)
//	heimnetz-fixture/byteorder               "big" for a tree captured on a big-endian machine;
//	                                         read once, when first needed
//
// Each stands in for one request to the kernel and is read as one file,
// so that a fixture round costs about what a live one does.
const FixtureDir = "heimnetz-fixture"

const fileFixtureStatfs = FixtureDir + "/statfs"

// fixtureStatfs looks mountpoint up in heimnetz-fixture/statfs.
func (b *Board) fixtureStatfs(mountpoint string) (FSUsage, error) {
	data, err := b.readFile(fileFixtureStatfs)
	if err != nil {
		return FSUsage{}, err
	}
	for n, line := range lines(string(data)) {
		f := strings.Fields(line)
		if len(f) == 0 || strings.HasPrefix(f[0], "#") || unescapeMount(f[0]) != mountpoint {
			continue
		}
		if len(f) != 7 {
			return FSUsage{}, malformed(fileFixtureStatfs, n, "want 7 fields, got %d", len(f))
		}
		var v [6]uint64
		for i := range v {
			if v[i], err = parseUint(f[i+1]); err != nil {
				return FSUsage{}, malformed(fileFixtureStatfs, n, "field %d: %w", i+2, err)
			}
		}
		return FSUsage{Path: mountpoint, Total: v[1] * v[0], Free: v[2] * v[0], Available: v[3] * v[0],
			Files: v[4], FilesFree: v[5]}, nil
	}
	return FSUsage{}, fmt.Errorf("board: /%s: no line for %q", fileFixtureStatfs, mountpoint)
}

// fixtureNL80211 returns the captured reply for req.
func (b *Board) fixtureNL80211(req nl80211Request) ([]byte, error) {
	return b.readFile(FixtureDir + "/nl80211/" + req.fixtureName())
}
