package pack

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"
)

// Errors Verify returns; callers act on them with errors.Is.
var (
	ErrUnsigned     = errors.New("package is not signed")
	ErrBadSignature = errors.New("signature does not match the package")
	ErrUntrusted    = errors.New("package is signed by a key that is not trusted")
	// ErrOldFormat is a signature in the version 1 format, which signed a
	// text listing that file names could forge. It is never accepted;
	// the package must be signed again (`heimnetz plugin sign`).
	ErrOldFormat = errors.New("signature is in the old v1 format, which does not bind the package; sign it again with this version of heimnetz")
)

// Text forms of keys and signatures: one line each, a tag, then fields.
const (
	signatureTag      = "heimnetz-signature-v2"
	oldSignatureTag   = "heimnetz-signature-v1"
	publicKeyTag      = "heimnetz-ed25519-public"
	privateKeyTag     = "heimnetz-ed25519-private"
	maxSignatureBytes = 256
)

// Signature is an Ed25519 signature over a package's Canonical encoding.
type Signature struct {
	KeyID string
	Sig   []byte
	// Version is the signature format: FormatVersion, or 1 for an old
	// signature that Verify refuses with ErrOldFormat.
	Version int
}

// Marshal returns the signature's one-line text form.
func (s *Signature) Marshal() []byte {
	return []byte(fmt.Sprintf("%s %s %s\n", signatureTag, s.KeyID, base64.StdEncoding.EncodeToString(s.Sig)))
}

// ParseSignature reads the text form Marshal writes: the tag, a key id of
// 16 hex digits and 64 bytes of base64. A version 1 signature parses (so
// `plugin sign` can replace it and `plugin verify` can say why it is
// refused) with Version 1.
func ParseSignature(data []byte) (*Signature, error) {
	if len(data) > maxSignatureBytes {
		return nil, fmt.Errorf("signature: longer than %d bytes", maxSignatureBytes)
	}
	f := strings.Fields(string(data))
	if len(f) != 3 || (f[0] != signatureTag && f[0] != oldSignatureTag) {
		return nil, fmt.Errorf("signature: want %q, key id and base64", signatureTag)
	}
	if !validKeyID(f[1]) {
		return nil, fmt.Errorf("signature: key id %s is not 16 lower-case hex digits", quoteName(f[1]))
	}
	sig, err := base64.StdEncoding.DecodeString(f[2])
	if err != nil || len(sig) != ed25519.SignatureSize {
		return nil, fmt.Errorf("signature: not %d bytes of base64", ed25519.SignatureSize)
	}
	v := FormatVersion
	if f[0] == oldSignatureTag {
		v = 1
	}
	return &Signature{KeyID: f[1], Sig: sig, Version: v}, nil
}

func validKeyID(s string) bool {
	if len(s) != 16 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !('0' <= s[i] && s[i] <= '9' || 'a' <= s[i] && s[i] <= 'f') {
			return false
		}
	}
	return true
}

// KeyID names a public key: the first 8 bytes of its SHA-256, in hex.
func KeyID(pub ed25519.PublicKey) string {
	sum := sha256.Sum256(pub)
	return hex.EncodeToString(sum[:8])
}

// Sign signs the package's Canonical encoding with priv and embeds the
// signature, replacing any older one.
func (p *Package) Sign(priv ed25519.PrivateKey) *Signature {
	pub := priv.Public().(ed25519.PublicKey)
	p.Signature = &Signature{KeyID: KeyID(pub), Sig: ed25519.Sign(priv, p.Canonical()), Version: FormatVersion}
	return p.Signature
}

// Verify checks sig (the embedded signature when sig is nil) against the
// trusted keys and returns the ID of the key that signed the package.
// Only the trusted key the signature names is tried: a signature is
// bound to its key id as well as to the package.
func (p *Package) Verify(sig *Signature, trusted []ed25519.PublicKey) (string, error) {
	if sig == nil {
		sig = p.Signature
	}
	if sig == nil {
		return "", ErrUnsigned
	}
	if sig.Version != FormatVersion {
		return "", fmt.Errorf("key %s: %w", sig.KeyID, ErrOldFormat)
	}
	if err := p.Check(); err != nil {
		return "", err
	}
	for _, k := range trusted {
		if KeyID(k) != sig.KeyID {
			continue
		}
		if !ed25519.Verify(k, p.Canonical(), sig.Sig) {
			return "", fmt.Errorf("key %s: %w", sig.KeyID, ErrBadSignature)
		}
		return sig.KeyID, nil
	}
	return "", fmt.Errorf("key %s: %w", sig.KeyID, ErrUntrusted)
}

// NewKey writes a new Ed25519 key pair: prefix.pub (mode 0644) and
// prefix.key (mode 0600). Existing files are never overwritten.
func NewKey(prefix, comment string) (pubPath, keyPath string, err error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return "", "", err
	}
	pubPath, keyPath = prefix+".pub", prefix+".key"
	comment = strings.Join(strings.Fields(comment), "_")
	pubText := fmt.Sprintf("%s %s %s\n", publicKeyTag, base64.StdEncoding.EncodeToString(pub), comment)
	keyText := fmt.Sprintf("%s %s %s\n", privateKeyTag, base64.StdEncoding.EncodeToString(priv.Seed()), comment)
	if err := writeNew(keyPath, []byte(keyText), 0o600); err != nil {
		return "", "", err
	}
	if err := writeNew(pubPath, []byte(pubText), 0o644); err != nil {
		os.Remove(keyPath)
		return "", "", err
	}
	return pubPath, keyPath, nil
}

func writeNew(name string, data []byte, mode os.FileMode) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// ReadPublicKey reads a public key file that NewKey wrote.
func ReadPublicKey(name string) (ed25519.PublicKey, error) {
	b, err := readKeyField(name, publicKeyTag, ed25519.PublicKeySize)
	if err != nil {
		return nil, err
	}
	return ed25519.PublicKey(b), nil
}

// ReadPrivateKey reads a private key file that NewKey wrote. It refuses
// a file others may read.
func ReadPrivateKey(name string) (ed25519.PrivateKey, error) {
	fi, err := os.Stat(name)
	if err != nil {
		return nil, err
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("%s: private key readable by others (mode %v); chmod 600 it", name, fi.Mode().Perm())
	}
	seed, err := readKeyField(name, privateKeyTag, ed25519.SeedSize)
	if err != nil {
		return nil, err
	}
	return ed25519.NewKeyFromSeed(seed), nil
}

func readKeyField(name, tag string, size int) ([]byte, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	f := strings.Fields(string(bytes.TrimSpace(data)))
	if len(f) < 2 || f[0] != tag {
		return nil, fmt.Errorf("%s: not a %s file", name, tag)
	}
	b, err := base64.StdEncoding.DecodeString(f[1])
	if err != nil || len(b) != size {
		return nil, fmt.Errorf("%s: key is not %d bytes of base64", name, size)
	}
	return b, nil
}
