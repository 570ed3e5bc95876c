// Package pack makes, signs, verifies and safely opens plugin packages:
// `heimnetz plugin pack|sign|verify`, `heimnetz key new` and the agent's
// install path.
//
// A package is one gzip member holding a tar stream:
//
//	SHA256SUMS          "<sha256 hex>  <path>" per file, sorted by path
//	SIGNATURE           optional: "heimnetz-signature-v2 <key id> <base64>"
//	<name>/manifest.yml
//	<name>/main.lua
//	<name>/...
//
// What is signed (format version 2). The signature and the content hash
// cover Canonical: a binary encoding that starts with the domain
// separator "heimnetz plugin package\x00v2\x00" and then holds the
// plugin's name and, for every file in bytewise path order, its path,
// size and SHA-256, each string with a 32-bit length prefix and each
// number of fixed width. No two different packages have the same
// encoding, whatever their file names hold, so a signature binds every
// byte of every file and every name. SHA256SUMS is kept for people and
// tools; Open requires it to equal the files' listing but it is not what
// is signed. A signature names its key id, and only that trusted key is
// tried. It may be embedded or kept beside the package as PKG.sig.
//
// Version 1 signed a text listing in which a file name holding a newline
// could forge lines: two packages with different main.lua could share a
// signature. Version 1 signatures are parsed but always refused
// (ErrOldFormat); such packages must be signed again with `plugin sign`.
//
// Names. Every path in a package is an allow-listed portable name: each
// component is [A-Za-z0-9_][A-Za-z0-9._-]*, at most 64 bytes, at most
// five levels and 200 bytes in all; the top directory is a plugin name.
// So control characters, non-UTF-8, Unicode line and paragraph
// separators, bidi controls, spaces, "..", absolute paths and hidden
// files are refused by construction, when packing, verifying and
// opening. Two paths that differ only in case are refused too: on a
// case-insensitive file system one would overwrite the other.
//
// Shape. Open checks every entry before anything is written: only
// regular files and directories, none twice, at most MaxFiles files of
// at most MaxFileBytes each and MaxTotalBytes in all, nothing after the
// tar stream but zero padding, nothing after the gzip member (no second
// member, no appended bytes), and SHA256SUMS equal to the listing of
// exactly the files present.
package pack
