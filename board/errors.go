package board

import (
	"errors"
	"fmt"
)

var (
	// ErrMalformed is matched (errors.Is) by every *ParseError: a file was
	// read but its contents do not have the expected format.
	ErrMalformed = errors.New("malformed")

	// ErrTooLarge is returned for a file longer than MaxFileSize.
	ErrTooLarge = errors.New("file too large")

	// ErrBadName is returned for an interface name the kernel would not
	// accept, such as "", "..", or one containing '/' or spaces.
	ErrBadName = errors.New("invalid interface name")

	// ErrNotSupported is returned by Uname, Sysinfo and FilesystemUsage on
	// systems other than Linux.
	ErrNotSupported = errors.New("not supported on this OS")

	// ErrNoProgress is returned by CPUUsage when no CPU time passed between
	// the two samples, so no utilisation can be computed.
	ErrNoProgress = errors.New("cpu counters did not advance")
)

// ParseError reports malformed contents of one file.
type ParseError struct {
	// File is the absolute path of the file below the root, e.g. "/proc/stat".
	File string
	// Line is the 1-based line number, or 0 when the error concerns the
	// file as a whole (e.g. a required field is missing).
	Line int
	// Err describes what is wrong.
	Err error
}

// Error returns "board: FILE:LINE: malformed: MESSAGE".
func (e *ParseError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("board: %s:%d: malformed: %v", e.File, e.Line, e.Err)
	}
	return fmt.Sprintf("board: %s: malformed: %v", e.File, e.Err)
}

// Unwrap lets errors.Is match both ErrMalformed and the underlying error.
func (e *ParseError) Unwrap() []error {
	return []error{ErrMalformed, e.Err}
}

// malformed builds a *ParseError for file (a root-relative name like
// "proc/stat") at line.
func malformed(file string, line int, format string, args ...any) error {
	return &ParseError{File: "/" + file, Line: line, Err: fmt.Errorf(format, args...)}
}
