package pack

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"sort"
)

// FormatVersion is the version of the signed encoding. Version 1 signed a
// text listing ("<hash>  <path>\n" lines) that a file name holding a
// newline could forge; its signatures are refused (ErrOldFormat).
const FormatVersion = 2

// canonicalPrefix starts the canonical encoding: a domain separator (no
// other heimnetz message or file starts with it) and the format version.
const canonicalPrefix = "heimnetz plugin package\x00v2\x00"

// Canonical returns the unambiguous encoding of the package that its
// content hash and signature cover:
//
//	"heimnetz plugin package\x00v2\x00"
//	uint32 len(name) | name
//	uint32 number of files
//	per file, sorted by path (bytewise):
//	    uint32 len(path) | path | uint64 size | SHA-256 of the contents (32 bytes)
//
// All integers are big-endian. Every field has a length or a fixed size,
// so no two different packages encode to the same bytes whatever their
// names hold; the encoding does not depend on the archive's order,
// compression, modes or times, which Open ignores.
func (p *Package) Canonical() []byte {
	paths := p.paths()
	b := make([]byte, 0, len(canonicalPrefix)+8+len(p.Name)+len(paths)*(4+40+8+32))
	b = append(b, canonicalPrefix...)
	b = appendString(b, p.Name)
	b = binary.BigEndian.AppendUint32(b, uint32(len(paths)))
	for _, f := range paths {
		data := p.Files[f]
		sum := sha256.Sum256(data)
		b = appendString(b, f)
		b = binary.BigEndian.AppendUint64(b, uint64(len(data)))
		b = append(b, sum[:]...)
	}
	return b
}

func appendString(b []byte, s string) []byte {
	b = binary.BigEndian.AppendUint32(b, uint32(len(s)))
	return append(b, s...)
}

// Hash returns the content hash: the SHA-256 of Canonical, in hex.
func (p *Package) Hash() string {
	sum := sha256.Sum256(p.Canonical())
	return hex.EncodeToString(sum[:])
}

// paths returns the package's file paths, sorted bytewise.
func (p *Package) paths() []string {
	out := make([]string, 0, len(p.Files))
	for f := range p.Files {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}
