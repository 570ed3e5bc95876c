package store

import "errors"

// Sentinel errors. Every error returned by this package that a caller may
// act on wraps one of these (compare with errors.Is); the wrapping message
// names the plugin, key or file and the numbers involved.
var (
	// ErrQuotaKeys means a kv write would exceed the plugin's key count quota.
	ErrQuotaKeys = errors.New("kv key quota exceeded")
	// ErrQuotaBytes means a kv write would exceed the plugin's byte quota.
	ErrQuotaBytes = errors.New("kv byte quota exceeded")
	// ErrKeyTooLong means a kv key is longer than the quota allows.
	ErrKeyTooLong = errors.New("kv key too long")
	// ErrValueTooLarge means a kv value is larger than the quota allows.
	ErrValueTooLarge = errors.New("kv value too large")
	// ErrWriteRate means the plugin writes to kv faster than its quota allows.
	ErrWriteRate = errors.New("kv write rate exceeded")
	// ErrBadKey means a kv key is empty, not valid UTF-8 or holds control characters.
	ErrBadKey = errors.New("bad kv key")
	// ErrBadName means a plugin name is empty, too long or holds characters
	// that are not allowed in a plugin name.
	ErrBadName = errors.New("bad plugin name")
	// ErrCorrupt means a database file failed validation (bad structure,
	// truncated, foreign file) or a stored record cannot be decoded.
	ErrCorrupt = errors.New("database corrupt")
	// ErrSchema means the database has a schema version this binary cannot
	// use (newer than it knows, or no migration path).
	ErrSchema = errors.New("unsupported database schema")
	// ErrLocked means another process holds the database file open.
	ErrLocked = errors.New("database locked by another process")
	// ErrClosed means the DB has been closed.
	ErrClosed = errors.New("database closed")
	// ErrNoEvent means an event sequence number is not (or no longer) in the ring.
	ErrNoEvent = errors.New("no such event")
	// ErrNoSnapshot means the DB runs in single-path mode and has no snapshot path.
	ErrNoSnapshot = errors.New("no snapshot path configured")
)
