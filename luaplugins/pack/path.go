package pack

import (
	"fmt"
	"strconv"
	"strings"
)

// Limits on one path inside a package.
const (
	maxPathBytes = 200 // a whole path below the plugin's directory
	maxPartBytes = 64  // one component
	// maxEntryBytes bounds an archive entry's name: the plugin's
	// directory (a plugin name, at most 32 bytes), "/" and the path.
	maxEntryBytes = 32 + 1 + maxPathBytes
)

// checkPath refuses every path that is not a short relative path of
// portable file names: each component is [A-Za-z0-9_][A-Za-z0-9._-]*.
// The allow-list, rather than a list of bad bytes, is the design: it
// leaves out by construction control characters (NUL, CR, LF, DEL, C1,
// NEL), non-UTF-8, Unicode line and paragraph separators, bidi controls,
// spaces, colons, backslashes, "." and "..", and hidden files. depth
// bounds the number of "/" in the path, limit its length in bytes.
func checkPath(name string, depth, limit int) error {
	if name == "" || len(name) > limit {
		return fmt.Errorf("%w: path %s is empty or longer than %d bytes", ErrUnsafe, quoteName(name), limit)
	}
	if strings.HasPrefix(name, "/") {
		return fmt.Errorf("%w: absolute path %s", ErrUnsafe, quoteName(name))
	}
	parts := strings.Split(name, "/")
	if len(parts)-1 > depth {
		return fmt.Errorf("%w: path %s is nested deeper than %d levels", ErrUnsafe, quoteName(name), depth)
	}
	for _, part := range parts {
		if err := checkPart(part); err != nil {
			return fmt.Errorf("%w: path %s: %v", ErrUnsafe, quoteName(name), err)
		}
	}
	return nil
}

// checkPart checks one path component against the allow-list.
func checkPart(part string) error {
	switch {
	case part == "":
		return fmt.Errorf("empty component (a doubled or trailing /)")
	case part == "." || part == "..":
		return fmt.Errorf("component %q escapes its directory", part)
	case part[0] == '.' || part[0] == '-':
		return fmt.Errorf("component starts with %q (hidden file or option)", part[0])
	}
	for i := 0; i < len(part); i++ {
		c := part[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '.' || c == '-') {
			return fmt.Errorf("byte %q at %d is not one of A-Z a-z 0-9 . _ -", c, i)
		}
	}
	if len(part) > maxPartBytes {
		return fmt.Errorf("component longer than %d bytes", maxPartBytes)
	}
	return nil
}

// quoteName quotes at most the first 64 bytes of a hostile name in ASCII,
// so an error that names it cannot split a log line, reorder text or
// grow without bound.
func quoteName(name string) string {
	if len(name) > 64 {
		return strconv.QuoteToASCII(name[:64]) + "..."
	}
	return strconv.QuoteToASCII(name)
}

// foldKey is the key under which two paths collide on a case-insensitive
// file system (FAT or exFAT on a USB stick, a Samba share): paths are
// ASCII after checkPath, so lower-casing is exact.
func foldKey(name string) string { return strings.ToLower(name) }
