package board

import (
	"strings"
)

// readAttribute reads a file holding one value on one line, as the files
// under /proc/sys, /sys and /tmp/sysinfo do, and returns it without the
// surrounding white space.
func (b *Board) readAttribute(name string) (string, error) {
	data, err := b.readFile(name)
	if err != nil {
		return "", err
	}
	return parseAttribute(name, data)
}

// parseAttribute returns the trimmed single line of data.
func parseAttribute(file string, data []byte) (string, error) {
	s := strings.TrimSpace(string(data))
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return "", malformed(file, 2, "want one line, got more")
	}
	return s, nil
}
