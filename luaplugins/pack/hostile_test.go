package pack

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"
)

// rawFile is one tar entry of a hostile archive.
type rawFile struct {
	name string
	data string
}

// hostileArchive writes entries as given (any name, in this order) after
// a SHA256SUMS built from listed, with the same "<hash>  <name>" lines a
// forger would write. A nil listed lists every entry.
func hostileArchive(t *testing.T, entries []rawFile, listed []rawFile) []byte {
	t.Helper()
	if listed == nil {
		listed = entries
	}
	var sums strings.Builder
	sorted := append([]rawFile(nil), listed...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].name < sorted[j].name })
	for _, f := range sorted {
		sum := sha256.Sum256([]byte(f.data))
		_, rest, _ := strings.Cut(f.name, "/")
		fmt.Fprintf(&sums, "%s  %s\n", hex.EncodeToString(sum[:]), rest)
	}
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	all := append([]rawFile{{SumsFile, sums.String()}}, entries...)
	for _, e := range all {
		hdr := &tar.Header{Name: e.name, Mode: 0o644, Size: int64(len(e.data)), Typeflag: tar.TypeReg, Format: tar.FormatPAX}
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatalf("write %q: %v", e.name, err)
		}
		tw.Write([]byte(e.data))
	}
	tw.Close()
	gz.Close()
	return buf.Bytes()
}

var (
	goodManifest = rawFile{"p/manifest.yml", "name: p\nversion: 1.0.0\n"}
	goodMain     = rawFile{"p/main.lua", "function collect() end\n"}
)

func withGood(extra ...rawFile) []rawFile {
	return append([]rawFile{goodManifest, goodMain}, extra...)
}

// gzipOf compresses data as one gzip member.
func gzipOf(data []byte) []byte {
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	gz.Write(data)
	gz.Close()
	return buf.Bytes()
}

// gunzip returns the tar stream of a one-member archive.
func gunzip(t *testing.T, a []byte) []byte {
	t.Helper()
	gz, err := gzip.NewReader(bytes.NewReader(a))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if _, err := out.ReadFrom(gz); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// TestOpenHostile: archives a forger would build, each refused with the
// reason that names the attack.
func TestOpenHostile(t *testing.T) {
	good := hostileArchive(t, withGood(), nil)
	if _, err := Open(good); err != nil {
		t.Fatalf("baseline refused: %v", err)
	}
	mainSum := sha256.Sum256([]byte(goodMain.data))
	extra := withGood(rawFile{"p/extra.lua", "x"})
	goodTar := gunzip(t, good)
	second := hostileArchive(t, []rawFile{{"p/evil.lua", "os.exit()"}}, []rawFile{})
	cases := []struct {
		name    string
		archive []byte
		want    string
	}{
		{"newline in a name", hostileArchive(t, withGood(rawFile{"p/a\nb", "x"}), nil), `byte '\n'`},
		{"carriage return in a name", hostileArchive(t, withGood(rawFile{"p/a\rb", "x"}), nil), `byte '\r'`},
		{"tab in a name", hostileArchive(t, withGood(rawFile{"p/a\tb", "x"}), nil), `byte '\t'`},
		{"sums look-alike line in a name", hostileArchive(t, withGood(rawFile{"p/x\n" + hex.EncodeToString(mainSum[:]) + "  main.lua", "x"}), nil), `byte '\n'`},
		{"space in a name", hostileArchive(t, withGood(rawFile{"p/main.lua ", "x"}), nil), `byte ' '`},
		{"line separator U+2028", hostileArchive(t, withGood(rawFile{"p/a\u2028b", "x"}), nil), `"p/a\u2028b"`},
		{"paragraph separator U+2029", hostileArchive(t, withGood(rawFile{"p/a\u2029b", "x"}), nil), `\u2029`},
		{"next line NEL", hostileArchive(t, withGood(rawFile{"p/a\u0085b", "x"}), nil), `\u0085`},
		{"bidi override U+202E", hostileArchive(t, withGood(rawFile{"p/aul.\u202egnp", "x"}), nil), `\u202e`},
		{"non-UTF-8", hostileArchive(t, withGood(rawFile{"p/a\xffb", "x"}), nil), `\xff`},
		{"DEL", hostileArchive(t, withGood(rawFile{"p/a\x7fb", "x"}), nil), `\x7f`},
		{"dot-dot", hostileArchive(t, withGood(rawFile{"p/../q/x", "x"}), nil), `escapes its directory`},
		{"absolute", hostileArchive(t, withGood(rawFile{"/p/x", "x"}), nil), `absolute path`},
		{"hidden file", hostileArchive(t, withGood(rawFile{"p/.profile", "x"}), nil), `hidden file`},
		{"top directory not a plugin name", hostileArchive(t, []rawFile{{"P_/manifest.yml", "x"}, {"P_/main.lua", "x"}}, nil), `not a plugin name`},
		{"same name twice", hostileArchive(t, withGood(rawFile{"p/main.lua", "os.exit()"}), nil), `"p/main.lua" appears twice`},
		{"names differing in case", hostileArchive(t, withGood(rawFile{"p/Main.lua", "x"}), nil), `differ only in case`},
		{"sums differing in case", hostileArchive(t, withGood(rawFile{"sha256sums", "x"}), nil), `differ only in case`},
		{"entry not listed in the sums", hostileArchive(t, extra, withGood()), `SHA256SUMS does not match`},
		{"listed file missing", hostileArchive(t, withGood(), extra), `SHA256SUMS does not match`},
		{"file changed after listing", hostileArchive(t, []rawFile{goodManifest, {"p/main.lua", "os.exit()"}}, withGood()), `SHA256SUMS does not match`},
		{"data after the tar stream", gzipOf(append(append([]byte(nil), goodTar...), "p/evil.lua"...)), `data after the end of the tar stream`},
		{"second tar after the end marker", gzipOf(append(append([]byte(nil), goodTar...), gunzip(t, second)...)), `data after the end of the tar stream`},
		{"second gzip member", append(append([]byte(nil), good...), second...), `after the gzip stream (a second member`},
		{"bytes appended after gzip", append(append([]byte(nil), good...), "trailing"...), `after the gzip stream`},
		{"corrupt gzip checksum", func() []byte {
			b := append([]byte(nil), good...)
			b[len(b)-8] ^= 1 // CRC-32 of the member
			return b
		}(), `checksum`},
	}
	if len(cases) < 10 {
		t.Fatal("too few cases")
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Open(c.archive)
			if !errors.Is(err, ErrUnsafe) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Open = %v, want ErrUnsafe with %q", err, c.want)
			}
			if strings.ContainsAny(err.Error(), "\n\r\u2028\u2029\u202e\u0085") {
				t.Errorf("error text carries a hostile character: %q", err)
			}
		})
	}
}

// TestPackHostileNames: the packer and the verifier refuse the same names
// as the opener, for a package built in memory.
func TestPackHostileNames(t *testing.T) {
	_, priv, _ := ed25519.GenerateKey(nil)
	pub := priv.Public().(ed25519.PublicKey)
	for _, name := range []string{"a\nb", "a\x00b", "a\rb", "a\u2028b", "a\u202eb", "a\xffb", "../x", "/x", "a//b", ".git/x", "a b", "Main.lua"} {
		p := samplePackage()
		p.Files[name] = []byte("x")
		if name == "Main.lua" {
			p.Files["main.lua"] = []byte("y")
		}
		if _, err := p.Archive(); !errors.Is(err, ErrUnsafe) {
			t.Errorf("Archive with %q: %v, want ErrUnsafe", name, err)
		}
		p.Sign(priv)
		if _, err := p.Verify(nil, []ed25519.PublicKey{pub}); !errors.Is(err, ErrUnsafe) {
			t.Errorf("Verify with %q: %v, want ErrUnsafe", name, err)
		}
	}
}

// TestSignatureBinding: a signature verifies only the package and key it
// was made for.
func TestSignatureBinding(t *testing.T) {
	_, owner, _ := ed25519.GenerateKey(nil)
	_, other, _ := ed25519.GenerateKey(nil)
	ownerPub, otherPub := owner.Public().(ed25519.PublicKey), other.Public().(ed25519.PublicKey)
	trusted := []ed25519.PublicKey{ownerPub, otherPub}

	signed := samplePackage()
	sig := signed.Sign(owner)
	if id, err := signed.Verify(nil, trusted); err != nil || id != KeyID(ownerPub) {
		t.Fatalf("baseline: %q %v", id, err)
	}
	upgraded := samplePackage()
	upgraded.Files["manifest.yml"] = []byte("name: demo\nversion: 1.0.1\n")
	renamed := samplePackage()
	renamed.Name = "demo-two"
	moved := samplePackage()
	moved.Files["lib.lua"] = moved.Files["main.lua"]
	delete(moved.Files, "main.lua")
	grown := samplePackage()
	grown.Files["extra.lua"] = []byte{}
	otherKeyID := *sig
	otherKeyID.KeyID = KeyID(otherPub)
	v1 := *sig
	v1.Version = 1
	cases := []struct {
		name string
		pkg  *Package
		sig  *Signature
		want error
	}{
		{"signature of another version, detached", upgraded, sig, ErrBadSignature},
		{"signature of another version, embedded", func() *Package { p := samplePackage(); p.Signature = sig; p.Files["main.lua"] = []byte("x"); return p }(), nil, ErrBadSignature},
		{"same files under another plugin name", renamed, sig, ErrBadSignature},
		{"same contents under another path", moved, sig, ErrBadSignature},
		{"an empty file added", grown, sig, ErrBadSignature},
		{"key id swapped to another trusted key", signed, &otherKeyID, ErrBadSignature},
		{"version 1 signature", signed, &v1, ErrOldFormat},
		{"key not trusted", signed, &Signature{KeyID: "0123456789abcdef", Sig: sig.Sig, Version: FormatVersion}, ErrUntrusted},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := c.pkg.Verify(c.sig, trusted); !errors.Is(err, c.want) {
				t.Fatalf("Verify = %v, want %v", err, c.want)
			}
		})
	}
	// A v1 signature parses, so sign can replace it and verify can say why.
	old := strings.Replace(string(sig.Marshal()), "heimnetz-signature-v2", "heimnetz-signature-v1", 1)
	s, err := ParseSignature([]byte(old))
	if err != nil || s.Version != 1 {
		t.Fatalf("v1 signature: %+v %v", s, err)
	}
	for _, bad := range []string{"", "heimnetz-signature-v2 x " + strings.Repeat("A", 88), "heimnetz-signature-v2 0123456789abcdef AAAA", "heimnetz-signature-v3 0123456789abcdef " + strings.Repeat("A", 86) + "==", strings.Repeat(" ", 300)} {
		if _, err := ParseSignature([]byte(bad)); err == nil {
			t.Errorf("ParseSignature(%q) accepted", bad)
		}
	}
}

// decodeCanonical parses Canonical back; that it can (and that the
// result equals the input) shows the encoding is unambiguous.
func decodeCanonical(b []byte) (name string, files map[string][32]byte, sizes map[string]uint64, err error) {
	if !bytes.HasPrefix(b, []byte(canonicalPrefix)) {
		return "", nil, nil, errors.New("prefix")
	}
	b = b[len(canonicalPrefix):]
	str := func() (string, error) {
		if len(b) < 4 {
			return "", errors.New("short length")
		}
		n := binary.BigEndian.Uint32(b)
		if uint64(len(b)-4) < uint64(n) {
			return "", errors.New("short string")
		}
		s := string(b[4 : 4+n])
		b = b[4+n:]
		return s, nil
	}
	if name, err = str(); err != nil {
		return
	}
	if len(b) < 4 {
		return "", nil, nil, errors.New("no count")
	}
	n := binary.BigEndian.Uint32(b)
	b = b[4:]
	files, sizes = map[string][32]byte{}, map[string]uint64{}
	for i := uint32(0); i < n; i++ {
		f, err := str()
		if err != nil {
			return "", nil, nil, err
		}
		if len(b) < 40 {
			return "", nil, nil, errors.New("short file")
		}
		sizes[f] = binary.BigEndian.Uint64(b)
		files[f] = [32]byte(b[8:40])
		b = b[40:]
	}
	if len(b) != 0 {
		return "", nil, nil, errors.New("trailing bytes")
	}
	return name, files, sizes, nil
}

// FuzzCanonical: any package, whatever its names, encodes to bytes that
// decode back to exactly its name, paths, sizes and hashes.
func FuzzCanonical(f *testing.F) {
	f.Add("demo", "main.lua", "x", "main.lua\nabc  other", "y")
	f.Add("a", "b\x00", "", "b", "\x00")
	f.Fuzz(func(t *testing.T, name, p1, d1, p2, d2 string) {
		p := &Package{Name: name, Files: map[string][]byte{p1: []byte(d1), p2: []byte(d2)}}
		gotName, files, sizes, err := decodeCanonical(p.Canonical())
		if err != nil || gotName != name || len(files) != len(p.Files) {
			t.Fatalf("decode: %q %d %v", gotName, len(files), err)
		}
		for path, data := range p.Files {
			if files[path] != sha256.Sum256(data) || sizes[path] != uint64(len(data)) {
				t.Fatalf("file %q does not round-trip", path)
			}
		}
	})
}

// TestResignOldPackage: an archive with an embedded v1 signature opens,
// is refused by Verify with ErrOldFormat, and verifies once signed again.
func TestResignOldPackage(t *testing.T) {
	_, priv, _ := ed25519.GenerateKey(nil)
	pub := priv.Public().(ed25519.PublicKey)
	p := samplePackage()
	sig := p.Sign(priv)
	old := strings.Replace(string(sig.Marshal()), "heimnetz-signature-v2", "heimnetz-signature-v1", 1)
	p.Signature = nil
	a, err := p.Archive()
	if err != nil {
		t.Fatal(err)
	}
	// Put the v1 SIGNATURE entry into the archive by hand.
	tarData := gunzip(t, a)
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	tw.WriteHeader(&tar.Header{Name: SignatureFile, Mode: 0o644, Size: int64(len(old)), Typeflag: tar.TypeReg})
	tw.Write([]byte(old))
	tw.Flush()
	withOld := gzipOf(append(buf.Bytes(), tarData...))
	q, err := Open(withOld)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := q.Verify(nil, []ed25519.PublicKey{pub}); !errors.Is(err, ErrOldFormat) || !strings.Contains(err.Error(), "sign it again") {
		t.Fatalf("v1 embedded: %v", err)
	}
	q.Sign(priv)
	b, _ := q.Archive()
	r, err := Open(b)
	if err != nil {
		t.Fatal(err)
	}
	if id, err := r.Verify(nil, []ed25519.PublicKey{pub}); err != nil || id != KeyID(pub) {
		t.Fatalf("re-signed: %q %v", id, err)
	}
}

// TestLongestPathRoundTrips: a package with the longest path FromDir and
// Check accept, under the longest plugin name, opens again.
func TestLongestPathRoundTrips(t *testing.T) {
	name := "a" + strings.Repeat("b", 31)
	long := strings.Repeat("c", maxPartBytes) + "/" + strings.Repeat("d", maxPartBytes) + "/" + strings.Repeat("e", maxPartBytes) + "/" + strings.Repeat("f", maxPathBytes-3*maxPartBytes-3)
	if len(long) != maxPathBytes {
		t.Fatalf("path of %d bytes", len(long))
	}
	p := samplePackage()
	p.Name = name
	p.Files[long] = []byte("x")
	a, err := p.Archive()
	if err != nil {
		t.Fatal(err)
	}
	q, err := Open(a)
	if err != nil || q.Hash() != p.Hash() {
		t.Fatalf("Open: %v", err)
	}
	p.Files[long+"g"] = []byte("x")
	if _, err := p.Archive(); !errors.Is(err, ErrUnsafe) {
		t.Errorf("path of %d bytes packed: %v", len(long)+1, err)
	}
}
