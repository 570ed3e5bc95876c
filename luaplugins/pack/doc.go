// Package pack makes, signs, verifies and safely opens plugin packages:
// `heimnetz plugin pack|sign|verify`, `heimnetz key new` and the agent's
// install path.
//
// A package is a gzip-compressed tar archive:
//
//	SHA256SUMS          "<sha256 hex>  <path>" per file, sorted by path
//	SIGNATURE           optional: "heimnetz-signature-v1 <key id> <base64>"
//	<name>/manifest.yml
//	<name>/main.lua
//	<name>/...
//
// SHA256SUMS is the canonical listing; its SHA-256 is the package's
// content hash. A signature is Ed25519 over the plugin's name and the
// listing, so it covers every byte of every file but not the archive's
// compression or order; it may also be kept beside the package as
// PKG.sig. Open checks every entry before anything is written: only
// regular files and directories under one top directory, no absolute or
// .. paths, no links or devices, at most MaxFiles files of at most
// MaxFileBytes each and MaxTotalBytes in all, and file contents that
// match the listing.
package pack
