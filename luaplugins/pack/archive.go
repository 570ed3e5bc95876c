package pack

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/heimnetz/heimnetz/luaplugins"
)

// Names of the metadata entries at the archive's root.
const (
	SumsFile      = "SHA256SUMS"
	SignatureFile = "SIGNATURE"
)

// Caps on what a package may hold.
const (
	MaxFiles        = 64
	MaxFileBytes    = 1 << 20
	MaxTotalBytes   = 4 << 20
	MaxArchiveBytes = 4 << 20 // compressed
	maxDepth        = 4       // directory levels below the plugin directory
)

// ErrUnsafe marks an archive refused for its shape: a path that escapes,
// a link or device, too many or too large files, a listing that does not
// match. Nothing of such an archive is ever written.
var ErrUnsafe = errors.New("unsafe package")

// Package is a plugin package in memory.
type Package struct {
	// Name is the archive's top directory, which must equal the
	// manifest's name (the installer checks that).
	Name string
	// Files maps slash paths below the top directory to contents.
	Files map[string][]byte
	// Signature is the embedded signature, or nil.
	Signature *Signature
}

// Listing returns the human-readable listing kept in SHA256SUMS:
// "<sha256 hex>  <path>\n" per file, sorted by path. It is unambiguous
// only because checkPath keeps newlines and spaces out of paths; the
// signature covers Canonical, not this text.
func (p *Package) Listing() []byte {
	var b bytes.Buffer
	for _, f := range p.paths() {
		sum := sha256.Sum256(p.Files[f])
		fmt.Fprintf(&b, "%s  %s\n", hex.EncodeToString(sum[:]), f)
	}
	return b.Bytes()
}

// FromDir reads a plugin directory into a package. Only regular files
// and directories are accepted; hidden files (.git, editor backups) are
// left out.
func FromDir(dir string) (*Package, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	p := &Package{Name: filepath.Base(abs), Files: map[string][]byte{}}
	if !luaplugins.ValidName(p.Name) {
		return nil, fmt.Errorf("%w: directory name %s is not a plugin name ([a-z][a-z0-9-]{0,31})", ErrUnsafe, quoteName(p.Name))
	}
	folded := map[string]string{}
	var total int64
	err = filepath.WalkDir(abs, func(full string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(abs, full)
		if err != nil || rel == "." {
			return err
		}
		rel = filepath.ToSlash(rel)
		if strings.HasPrefix(path.Base(rel), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		if !d.Type().IsRegular() {
			return fmt.Errorf("%w: %s is not a regular file (%s)", ErrUnsafe, rel, d.Type())
		}
		if err := checkPath(rel, maxDepth, maxPathBytes); err != nil {
			return err
		}
		if other, ok := folded[foldKey(rel)]; ok {
			return fmt.Errorf("%w: %s and %s differ only in case", ErrUnsafe, quoteName(other), quoteName(rel))
		}
		folded[foldKey(rel)] = rel
		data, err := os.ReadFile(full)
		if err != nil {
			return err
		}
		total += int64(len(data))
		if err := checkSizes(rel, len(p.Files)+1, len(data), total); err != nil {
			return err
		}
		p.Files[rel] = data
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, need := range []string{luaplugins.ManifestFile, luaplugins.MainFile} {
		if _, ok := p.Files[need]; !ok {
			return nil, fmt.Errorf("%s: no %s", dir, need)
		}
	}
	return p, nil
}

// Check refuses a package whose name is not a plugin name or that holds a
// path checkPath refuses, or two paths that differ only in case. Open
// and FromDir never return such a package; Archive, Verify and Extract
// check again for one built in memory.
func (p *Package) Check() error {
	if !luaplugins.ValidName(p.Name) {
		return fmt.Errorf("%w: package name %s is not a plugin name ([a-z][a-z0-9-]{0,31})", ErrUnsafe, quoteName(p.Name))
	}
	if len(p.Files) > MaxFiles {
		return fmt.Errorf("%w: more than %d files", ErrUnsafe, MaxFiles)
	}
	folded := make(map[string]string, len(p.Files))
	for _, f := range p.paths() {
		if err := checkPath(f, maxDepth, maxPathBytes); err != nil {
			return err
		}
		if other, ok := folded[foldKey(f)]; ok {
			return fmt.Errorf("%w: %s and %s differ only in case", ErrUnsafe, quoteName(other), quoteName(f))
		}
		folded[foldKey(f)] = f
	}
	return nil
}

// Archive writes the package as a deterministic tar.gz: the same files
// always give the same bytes.
func (p *Package) Archive() ([]byte, error) {
	if err := p.Check(); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	gz, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	tw := tar.NewWriter(gz)
	epoch := time.Unix(0, 0).UTC()
	write := func(name string, data []byte) error {
		hdr := &tar.Header{Name: name, Mode: 0o644, Size: int64(len(data)), ModTime: epoch, Typeflag: tar.TypeReg, Format: tar.FormatPAX}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		_, err := tw.Write(data)
		return err
	}
	if err := write(SumsFile, p.Listing()); err != nil {
		return nil, err
	}
	if p.Signature != nil {
		if err := write(SignatureFile, p.Signature.Marshal()); err != nil {
			return nil, err
		}
	}
	for _, f := range p.paths() {
		if err := write(p.Name+"/"+f, p.Files[f]); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	if err := gz.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Open reads and checks an archive. It returns ErrUnsafe (wrapped, naming
// the entry) for any archive that is not a well-formed package: one gzip
// member holding one tar stream and nothing after it but zero padding;
// only regular files and directories; every path allowed by checkPath,
// none twice, not even in another case; every file under one top
// directory that is a plugin name; and SHA256SUMS equal to the listing of
// exactly these files (so an entry not listed and a listed file missing
// are both refused). An embedded signature is parsed, not verified.
func Open(archive []byte) (*Package, error) {
	if len(archive) > MaxArchiveBytes {
		return nil, fmt.Errorf("%w: archive of %d bytes is larger than %d", ErrUnsafe, len(archive), MaxArchiveBytes)
	}
	br := bytes.NewReader(archive)
	gz, err := gzip.NewReader(br)
	if err != nil {
		return nil, fmt.Errorf("%w: not a gzip archive: %v", ErrUnsafe, err)
	}
	// A second gzip member would be read as more of the same stream by
	// default; the package is exactly one member.
	gz.Multistream(false)
	tr := tar.NewReader(io.LimitReader(gz, MaxTotalBytes+MaxFiles*2048+64<<10))
	p := &Package{Files: map[string][]byte{}}
	var sums []byte
	var total int64
	seen := map[string]string{} // folded name → name as written
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrUnsafe, err)
		}
		name := hdr.Name
		switch hdr.Typeflag {
		case tar.TypeReg, tar.TypeDir:
		default:
			return nil, fmt.Errorf("%w: %s is not a regular file or directory (tar type %q)", ErrUnsafe, quoteName(name), hdr.Typeflag)
		}
		if hdr.Typeflag == tar.TypeDir {
			name = strings.TrimSuffix(name, "/")
		}
		if err := checkPath(name, maxDepth+1, maxEntryBytes); err != nil {
			return nil, err
		}
		if other, ok := seen[foldKey(name)]; ok {
			if other == name {
				return nil, fmt.Errorf("%w: %s appears twice", ErrUnsafe, quoteName(name))
			}
			return nil, fmt.Errorf("%w: %s and %s differ only in case", ErrUnsafe, quoteName(other), quoteName(name))
		}
		seen[foldKey(name)] = name
		top, rest, inside := strings.Cut(name, "/")
		if hdr.Typeflag == tar.TypeDir {
			if inside || luaplugins.ValidName(top) {
				continue
			}
			return nil, fmt.Errorf("%w: directory %s is not a plugin name", ErrUnsafe, quoteName(name))
		}
		if hdr.Size > MaxFileBytes || hdr.Size < 0 {
			return nil, fmt.Errorf("%w: %s is %d bytes, more than %d", ErrUnsafe, quoteName(name), hdr.Size, MaxFileBytes)
		}
		data, err := io.ReadAll(io.LimitReader(tr, MaxFileBytes+1))
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrUnsafe, quoteName(name), err)
		}
		total += int64(len(data))
		switch name {
		case SumsFile:
			sums = data
			continue
		case SignatureFile:
			sig, err := ParseSignature(data)
			if err != nil {
				return nil, fmt.Errorf("%w: %v", ErrUnsafe, err)
			}
			p.Signature = sig
			continue
		}
		if !inside {
			return nil, fmt.Errorf("%w: %s is not inside the plugin's directory", ErrUnsafe, quoteName(name))
		}
		if p.Name == "" {
			if !luaplugins.ValidName(top) {
				return nil, fmt.Errorf("%w: top directory %s is not a plugin name ([a-z][a-z0-9-]{0,31})", ErrUnsafe, quoteName(top))
			}
			p.Name = top
		} else if top != p.Name {
			return nil, fmt.Errorf("%w: %s is outside the plugin directory %s", ErrUnsafe, quoteName(name), p.Name)
		}
		if err := checkSizes(name, len(p.Files)+1, len(data), total); err != nil {
			return nil, err
		}
		p.Files[rest] = data
	}
	if err := checkEnd(gz, br); err != nil {
		return nil, err
	}
	if p.Name == "" {
		return nil, fmt.Errorf("%w: the archive holds no plugin", ErrUnsafe)
	}
	for _, need := range []string{luaplugins.ManifestFile, luaplugins.MainFile} {
		if _, ok := p.Files[need]; !ok {
			return nil, fmt.Errorf("%w: no %s/%s", ErrUnsafe, p.Name, need)
		}
	}
	if sums == nil {
		return nil, fmt.Errorf("%w: no %s", ErrUnsafe, SumsFile)
	}
	if !bytes.Equal(sums, p.Listing()) {
		return nil, fmt.Errorf("%w: %s does not match the files (a file was changed, added or removed)", ErrUnsafe, SumsFile)
	}
	return p, nil
}

// maxPadding bounds the zero bytes allowed after the tar's end marker
// (GNU tar pads to 10 KiB records).
const maxPadding = 64 << 10

// checkEnd reads the rest of the gzip member after the tar stream: only
// zero padding may follow, the member must end (which checks its CRC),
// and no byte may follow the member in the archive.
func checkEnd(gz *gzip.Reader, br *bytes.Reader) error {
	var buf [4096]byte
	var n int64
	for {
		k, err := gz.Read(buf[:])
		for _, c := range buf[:k] {
			if c != 0 {
				return fmt.Errorf("%w: data after the end of the tar stream", ErrUnsafe)
			}
		}
		n += int64(k)
		if n > maxPadding {
			return fmt.Errorf("%w: more than %d bytes of padding after the tar stream", ErrUnsafe, maxPadding)
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("%w: %v", ErrUnsafe, err)
		}
	}
	if br.Len() != 0 {
		return fmt.Errorf("%w: %d bytes after the gzip stream (a second member or appended data)", ErrUnsafe, br.Len())
	}
	return nil
}

func checkSizes(name string, files, size int, total int64) error {
	switch {
	case files > MaxFiles:
		return fmt.Errorf("%w: more than %d files", ErrUnsafe, MaxFiles)
	case size > MaxFileBytes:
		return fmt.Errorf("%w: %s is %d bytes, more than %d", ErrUnsafe, quoteName(name), size, MaxFileBytes)
	case total > MaxTotalBytes:
		return fmt.Errorf("%w: more than %d bytes in all", ErrUnsafe, MaxTotalBytes)
	}
	return nil
}

// Extract writes the plugin's files into dir, which must not exist; dir
// is created with mode 0755 and files with 0644.
func (p *Package) Extract(dir string) error {
	if err := p.Check(); err != nil {
		return err
	}
	if err := os.Mkdir(dir, 0o755); err != nil {
		return err
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return err
	}
	defer root.Close()
	for _, f := range p.paths() {
		if err := checkPath(f, maxDepth, maxPathBytes); err != nil {
			return err
		}
		if d := path.Dir(f); d != "." {
			if err := root.MkdirAll(d, 0o755); err != nil {
				return err
			}
		}
		w, err := root.OpenFile(f, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return err
		}
		if _, err := w.Write(p.Files[f]); err != nil {
			w.Close()
			return err
		}
		if err := w.Close(); err != nil {
			return err
		}
	}
	return nil
}
