package pack

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/ed25519"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func samplePackage() *Package {
	return &Package{Name: "demo", Files: map[string][]byte{
		"manifest.yml":          []byte("name: demo\nversion: 1.0.0\n"),
		"main.lua":              []byte("function collect() end\n"),
		"testdata/proc/loadavg": []byte("0.1 0.2 0.3 1/2 3\n"),
	}}
}

func TestRoundTripAndHash(t *testing.T) {
	p := samplePackage()
	a, err := p.Archive()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := p.Archive()
	if !bytes.Equal(a, b) {
		t.Error("archive is not deterministic")
	}
	q, err := Open(a)
	if err != nil {
		t.Fatal(err)
	}
	if q.Name != "demo" || len(q.Files) != 3 || string(q.Files["main.lua"]) != "function collect() end\n" || q.Hash() != p.Hash() {
		t.Errorf("round trip: %+v", q)
	}
	if len(p.Hash()) != 64 || !strings.Contains(string(p.Listing()), "  testdata/proc/loadavg\n") {
		t.Errorf("hash %q listing %q", p.Hash(), p.Listing())
	}
	dir := filepath.Join(t.TempDir(), "demo")
	if err := q.Extract(dir); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(dir, "testdata/proc/loadavg"))
	if err != nil || string(got) != "0.1 0.2 0.3 1/2 3\n" {
		t.Errorf("extracted %q %v", got, err)
	}
	if err := q.Extract(dir); err == nil {
		t.Error("Extract into an existing directory succeeded")
	}
}

func TestSignVerify(t *testing.T) {
	dir := t.TempDir()
	pubPath, keyPath, err := NewKey(filepath.Join(dir, "owner"), "test key")
	if err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(keyPath); fi.Mode().Perm() != 0o600 {
		t.Errorf("private key mode %v", fi.Mode().Perm())
	}
	if _, _, err := NewKey(filepath.Join(dir, "owner"), ""); err == nil {
		t.Error("NewKey overwrote a key")
	}
	priv, err := ReadPrivateKey(keyPath)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := ReadPublicKey(pubPath)
	if err != nil {
		t.Fatal(err)
	}
	_, otherPriv, _ := ed25519.GenerateKey(nil)
	other := otherPriv.Public().(ed25519.PublicKey)

	p := samplePackage()
	if _, err := p.Verify(nil, []ed25519.PublicKey{pub}); !errors.Is(err, ErrUnsigned) {
		t.Errorf("unsigned: %v", err)
	}
	sig := p.Sign(priv)
	a, _ := p.Archive()
	q, err := Open(a)
	if err != nil {
		t.Fatal(err)
	}
	id, err := q.Verify(nil, []ed25519.PublicKey{other, pub})
	if err != nil || id != KeyID(pub) || sig.KeyID != id {
		t.Errorf("verify: %q %v", id, err)
	}
	if _, err := q.Verify(nil, []ed25519.PublicKey{other}); !errors.Is(err, ErrUntrusted) {
		t.Errorf("untrusted: %v", err)
	}
	// A changed file with a recomputed listing keeps the old signature:
	// it no longer matches.
	q.Files["main.lua"] = []byte("function collect() print('x') end\n")
	if _, err := q.Verify(nil, []ed25519.PublicKey{pub}); !errors.Is(err, ErrBadSignature) {
		t.Errorf("tampered: %v", err)
	}
	// A detached signature parses back.
	s2, err := ParseSignature(sig.Marshal())
	if err != nil || !bytes.Equal(s2.Sig, sig.Sig) {
		t.Errorf("detached: %v", err)
	}
	os.Chmod(keyPath, 0o644)
	if _, err := ReadPrivateKey(keyPath); err == nil {
		t.Error("private key readable by others was accepted")
	}
}

type entry struct {
	name     string
	typeflag byte
	data     string
	link     string
}

func rawArchive(entries []entry, withSums bool) []byte {
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	files := map[string][]byte{}
	for _, e := range entries {
		if e.typeflag == tar.TypeReg {
			if _, rest, ok := strings.Cut(e.name, "/"); ok {
				files[rest] = []byte(e.data)
			}
		}
	}
	if withSums {
		sums := (&Package{Files: files}).Listing()
		tw.WriteHeader(&tar.Header{Name: SumsFile, Mode: 0o644, Size: int64(len(sums)), Typeflag: tar.TypeReg})
		tw.Write(sums)
	}
	for _, e := range entries {
		tw.WriteHeader(&tar.Header{Name: e.name, Mode: 0o644, Size: int64(len(e.data)), Typeflag: e.typeflag, Linkname: e.link})
		tw.Write([]byte(e.data))
	}
	tw.Close()
	gz.Close()
	return buf.Bytes()
}

func TestOpenRefuses(t *testing.T) {
	base := []entry{{"p/manifest.yml", tar.TypeReg, "name: p\n", ""}, {"p/main.lua", tar.TypeReg, "x", ""}}
	with := func(extra ...entry) []entry { return append(append([]entry{}, base...), extra...) }
	var many []entry
	for i := 0; i < MaxFiles; i++ {
		many = append(many, entry{"p/f" + strings.Repeat("x", i%5) + string(rune('a'+i%26)) + string(rune('a'+i/26)), tar.TypeReg, "1", ""})
	}
	cases := map[string][]byte{
		"traversal":      rawArchive(with(entry{"p/../../etc/passwd", tar.TypeReg, "x", ""}), true),
		"absolute":       rawArchive(with(entry{"/etc/passwd", tar.TypeReg, "x", ""}), true),
		"symlink":        rawArchive(with(entry{"p/link", tar.TypeSymlink, "", "/etc/passwd"}), true),
		"hardlink":       rawArchive(with(entry{"p/hard", tar.TypeLink, "", "p/main.lua"}), true),
		"device":         rawArchive(with(entry{"p/dev", tar.TypeChar, "", ""}), true),
		"fifo":           rawArchive(with(entry{"p/fifo", tar.TypeFifo, "", ""}), true),
		"two plugins":    rawArchive(with(entry{"q/main.lua", tar.TypeReg, "x", ""}), true),
		"root file":      rawArchive(with(entry{"README", tar.TypeReg, "x", ""}), true),
		"no sums":        rawArchive(base, false),
		"too many files": rawArchive(with(many...), true),
		"big file":       rawArchive(with(entry{"p/big", tar.TypeReg, strings.Repeat("a", MaxFileBytes+1), ""}), true),
		"duplicate":      rawArchive(with(entry{"p/main.lua", tar.TypeReg, "y", ""}), true),
		"backslash":      rawArchive(with(entry{`p/a\b`, tar.TypeReg, "x", ""}), true),
		"deep":           rawArchive(with(entry{"p/a/b/c/d/e/f", tar.TypeReg, "x", ""}), true),
		"no main":        rawArchive([]entry{{"p/manifest.yml", tar.TypeReg, "x", ""}}, true),
		"not gzip":       []byte("PK\x03\x04 zip"),
	}
	for name, a := range cases {
		if _, err := Open(a); !errors.Is(err, ErrUnsafe) {
			t.Errorf("%s: err = %v, want ErrUnsafe", name, err)
		}
	}
	// A file changed after the listing was made is caught: the archive's
	// SHA256SUMS lists the original main.lua.
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	sums := (&Package{Files: map[string][]byte{"manifest.yml": []byte("name: p\n"), "main.lua": []byte("x")}}).Listing()
	for _, e := range []entry{{SumsFile, tar.TypeReg, string(sums), ""}, {"p/manifest.yml", tar.TypeReg, "name: p\n", ""}, {"p/main.lua", tar.TypeReg, "changed", ""}} {
		tw.WriteHeader(&tar.Header{Name: e.name, Mode: 0o644, Size: int64(len(e.data)), Typeflag: e.typeflag})
		tw.Write([]byte(e.data))
	}
	tw.Close()
	gz.Close()
	if _, err := Open(buf.Bytes()); !errors.Is(err, ErrUnsafe) || !strings.Contains(err.Error(), "does not match") {
		t.Errorf("tampered archive: %v", err)
	}
	good := rawArchive(base, true)
	if _, err := Open(good); err != nil {
		t.Errorf("well-formed raw archive refused: %v", err)
	}
}

func TestFromDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo")
	os.MkdirAll(filepath.Join(dir, ".git"), 0o755)
	os.WriteFile(filepath.Join(dir, "manifest.yml"), []byte("name: demo\nversion: 1.0.0\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "main.lua"), []byte("function collect() end\n"), 0o644)
	os.WriteFile(filepath.Join(dir, ".git", "HEAD"), []byte("x"), 0o644)
	p, err := FromDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "demo" || len(p.Files) != 2 {
		t.Errorf("%+v", p)
	}
	os.Symlink("/etc/passwd", filepath.Join(dir, "link"))
	if _, err := FromDir(dir); !errors.Is(err, ErrUnsafe) {
		t.Errorf("symlink: %v", err)
	}
}

// FuzzOpen: no archive makes Open panic; what it accepts extracts, holds
// only allowed paths, and packs again to an archive that opens to the same
// content hash.
func FuzzOpen(f *testing.F) {
	a, _ := samplePackage().Archive()
	f.Add(a)
	f.Add(rawArchive([]entry{{"p/../x", tar.TypeReg, "x", ""}}, true))
	f.Add(rawArchive([]entry{{"p/manifest.yml", tar.TypeReg, "name: p\n", ""}, {"p/main.lua", tar.TypeReg, "x", ""}, {"p/a\nb", tar.TypeReg, "x", ""}}, true))
	f.Add(append(append([]byte(nil), a...), a...))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Open(data)
		if err != nil {
			return
		}
		if err := p.Check(); err != nil {
			t.Fatalf("accepted archive fails Check: %v", err)
		}
		if err := p.Extract(filepath.Join(t.TempDir(), "x")); err != nil {
			t.Fatalf("accepted archive does not extract: %v", err)
		}
		again, err := p.Archive()
		if err != nil {
			t.Fatalf("accepted package does not pack: %v", err)
		}
		q, err := Open(again)
		if err != nil || q.Hash() != p.Hash() {
			t.Fatalf("repacked: %v", err)
		}
	})
}
