// Package store keeps the agent's state in a bbolt database: the plugin
// registry, a small key-value store per plugin with quotas, a bounded ring of
// security and audit events (shared by class, so that noise anyone can cause
// never evicts the audit trail: eventring.go), and a bounded ring of recent
// log lines per plugin.
//
// # Where the data lives
//
// Routers keep writable files on small, wear-prone flash and lose power
// without warning, while /tmp is RAM. The store therefore runs in one of two
// modes, chosen by Options:
//
//   - RAM plus snapshot (LivePath and SnapshotPath differ; the default). The
//     live bbolt file sits on a RAM path (on OpenWrt /tmp/heimnetz/heimnetz.db)
//     and every acknowledged write (KV.Set, KV.Delete, KV.Clear, a Critical
//     event, an acknowledgement) is committed to it before the call returns, so
//     killing the agent (kill -9, a crash) loses nothing acknowledged. A
//     consistent copy of the database goes to the flash path
//     (/etc/heimnetz/heimnetz.db) every SnapshotInterval if anything changed, and
//     on Close: written to a temporary file, synced, renamed over the old
//     snapshot and the directory synced. After a reboot the RAM file is gone
//     and Open restores it from the snapshot. A power cut therefore loses at
//     most the writes of one snapshot interval.
//   - Single path (LivePath empty, or equal to SnapshotPath): the bbolt file
//     lives on flash and every acknowledged write is an fsynced bbolt commit
//     there. Writers that arrive while a commit runs are coalesced into the
//     next commit (group commit), so the number of fsyncs is bounded by the
//     number of commits, not of calls; but a lone writer still costs one
//     commit (two fdatasyncs) per call. Nothing acknowledged is lost on a
//     power cut, at the price of far more flash writes (see
//     scripts/store/flashbench).
//
// Registry updates, non-critical events and log lines are not acknowledged
// writes: they are collected in memory and committed together every
// FlushInterval (a few seconds) and on Close; a crash loses at most that
// interval of them.
//
// A background flush or snapshot that fails is never dropped: the writes
// stay queued for the next flush, the failure is counted (Stats,
// FailureCounts), the first of a failing streak is recorded as a High
// store event, DB.Failing says so until one succeeds, and the function set
// with OnFailure is told when failures start and stop (the agent logs it).
//
// The owner's settings record (Settings, PutSettings) is one acknowledged
// write in the meta bucket; the store keeps its bytes and does not read
// them.
//
// # Encodings
//
// Sequence-numbered keys (events, log lines) are 8-byte big-endian integers so
// they sort in order; records are JSON; the schema version is a 4-byte
// big-endian integer in the meta bucket. Migrations run forward in Open.
// The bbolt file format itself uses the machine's byte order, so a database
// file (and a backup made by Export) can only be opened on a machine of the
// same byte order.
//
// # Bad files
//
// Open validates the live file before bbolt maps it. A corrupt, truncated,
// empty or foreign file is moved aside to <name>.bad-<timestamp> and the
// store is restored from the snapshot when that is good, otherwise started
// empty; what happened is returned by DB.Notices and recorded as an event.
package store
