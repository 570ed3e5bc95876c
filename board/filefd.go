package board

import (
	"strings"
)

const fileFileNr = "proc/sys/fs/file-nr"

// FileFD is /proc/sys/fs/file-nr: the system's file handles.
type FileFD struct {
	// Allocated is the number of allocated file handles
	// (node_filefd_allocated).
	Allocated uint64 `json:"allocated"`
	// Unused is allocated but unused handles (always 0 since Linux 2.6).
	Unused uint64 `json:"unused"`
	// Maximum is fs.file-max (node_filefd_maximum).
	Maximum uint64 `json:"maximum"`
}

// FileFD reads /proc/sys/fs/file-nr.
func (b *Board) FileFD() (FileFD, error) {
	data, err := b.readFile(fileFileNr)
	if err != nil {
		return FileFD{}, err
	}
	return parseFileNr(fileFileNr, data)
}

// parseFileNr parses "2101\t0\t2466248".
func parseFileNr(file string, data []byte) (FileFD, error) {
	s, err := parseAttribute(file, data)
	if err != nil {
		return FileFD{}, err
	}
	f := strings.Fields(s)
	if len(f) != 3 {
		return FileFD{}, malformed(file, 1, "want 3 numbers, got %d", len(f))
	}
	var v [3]uint64
	for i := range v {
		if v[i], err = parseUint(f[i]); err != nil {
			return FileFD{}, malformed(file, 1, "field %d: %w", i+1, err)
		}
	}
	return FileFD{Allocated: v[0], Unused: v[1], Maximum: v[2]}, nil
}
