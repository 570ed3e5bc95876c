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
	"sort"
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

// Listing returns the canonical listing: "<sha256 hex>  <path>\n" per
// file, sorted by path.
func (p *Package) Listing() []byte {
	paths := make([]string, 0, len(p.Files))
	for f := range p.Files {
		paths = append(paths, f)
	}
	sort.Strings(paths)
	var b bytes.Buffer
	for _, f := range paths {
		sum := sha256.Sum256(p.Files[f])
		fmt.Fprintf(&b, "%s  %s\n", hex.EncodeToString(sum[:]), f)
	}
	return b.Bytes()
}

// Hash returns the content hash: the SHA-256 of the listing, in hex.
func (p *Package) Hash() string {
	sum := sha256.Sum256(p.Listing())
	return hex.EncodeToString(sum[:])
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
		if err := checkPath(rel, maxDepth); err != nil {
			return err
		}
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

// Archive writes the package as a deterministic tar.gz: the same files
// always give the same bytes.
func (p *Package) Archive() ([]byte, error) {
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
	paths := make([]string, 0, len(p.Files))
	for f := range p.Files {
		paths = append(paths, f)
	}
	sort.Strings(paths)
	for _, f := range paths {
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
// the entry) for any archive that is not a well-formed package.
func Open(archive []byte) (*Package, error) {
	if len(archive) > MaxArchiveBytes {
		return nil, fmt.Errorf("%w: archive of %d bytes is larger than %d", ErrUnsafe, len(archive), MaxArchiveBytes)
	}
	gz, err := gzip.NewReader(bytes.NewReader(archive))
	if err != nil {
		return nil, fmt.Errorf("%w: not a gzip archive: %v", ErrUnsafe, err)
	}
	tr := tar.NewReader(io.LimitReader(gz, MaxTotalBytes+MaxFiles*2048+64<<10))
	p := &Package{Files: map[string][]byte{}}
	var sums []byte
	var total int64
	seen := map[string]bool{}
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
			return nil, fmt.Errorf("%w: %s is not a regular file or directory (tar type %q)", ErrUnsafe, name, hdr.Typeflag)
		}
		if hdr.Typeflag == tar.TypeDir {
			name = strings.TrimSuffix(name, "/")
		}
		if seen[name] {
			return nil, fmt.Errorf("%w: %s appears twice", ErrUnsafe, name)
		}
		seen[name] = true
		if err := checkPath(name, maxDepth+1); err != nil {
			return nil, err
		}
		if hdr.Typeflag == tar.TypeDir {
			continue
		}
		if hdr.Size > MaxFileBytes || hdr.Size < 0 {
			return nil, fmt.Errorf("%w: %s is %d bytes, more than %d", ErrUnsafe, name, hdr.Size, MaxFileBytes)
		}
		data, err := io.ReadAll(io.LimitReader(tr, MaxFileBytes+1))
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrUnsafe, name, err)
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
		top, rest, ok := strings.Cut(name, "/")
		if !ok {
			return nil, fmt.Errorf("%w: %s is not inside the plugin's directory", ErrUnsafe, name)
		}
		if p.Name == "" {
			p.Name = top
		} else if top != p.Name {
			return nil, fmt.Errorf("%w: %s is outside the plugin directory %s", ErrUnsafe, name, p.Name)
		}
		if err := checkSizes(name, len(p.Files)+1, len(data), total); err != nil {
			return nil, err
		}
		p.Files[rest] = data
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

// checkPath refuses absolute, dotted, backslashed and too deep paths.
func checkPath(name string, depth int) error {
	switch {
	case name == "" || strings.HasPrefix(name, "/") || filepath.IsAbs(name):
		return fmt.Errorf("%w: absolute or empty path %q", ErrUnsafe, name)
	case strings.ContainsAny(name, "\\\x00:"):
		return fmt.Errorf("%w: path %q holds a backslash, colon or NUL", ErrUnsafe, name)
	case path.Clean(name) != name:
		return fmt.Errorf("%w: path %q is not clean", ErrUnsafe, name)
	}
	for _, part := range strings.Split(name, "/") {
		if part == ".." || part == "." {
			return fmt.Errorf("%w: path %q escapes its directory", ErrUnsafe, name)
		}
	}
	if strings.Count(name, "/") > depth {
		return fmt.Errorf("%w: path %q is nested deeper than %d levels", ErrUnsafe, name, depth)
	}
	return nil
}

func checkSizes(name string, files, size int, total int64) error {
	switch {
	case files > MaxFiles:
		return fmt.Errorf("%w: more than %d files", ErrUnsafe, MaxFiles)
	case size > MaxFileBytes:
		return fmt.Errorf("%w: %s is %d bytes, more than %d", ErrUnsafe, name, size, MaxFileBytes)
	case total > MaxTotalBytes:
		return fmt.Errorf("%w: more than %d bytes in all", ErrUnsafe, MaxTotalBytes)
	}
	return nil
}

// Extract writes the plugin's files into dir, which must not exist; dir
// is created with mode 0755 and files with 0644.
func (p *Package) Extract(dir string) error {
	if err := os.Mkdir(dir, 0o755); err != nil {
		return err
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return err
	}
	defer root.Close()
	paths := make([]string, 0, len(p.Files))
	for f := range p.Files {
		paths = append(paths, f)
	}
	sort.Strings(paths)
	for _, f := range paths {
		if err := checkPath(f, maxDepth); err != nil {
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
