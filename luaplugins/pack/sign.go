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
)

// Text forms of keys and signatures: one line each, a tag, then fields.
const (
	signatureTag  = "heimnetz-signature-v1"
	publicKeyTag  = "heimnetz-ed25519-public"
	privateKeyTag = "heimnetz-ed25519-private"
	// signedPrefix starts every signed message, so a heimnetz signature
	// can never be mistaken for one over other data.
	signedPrefix = "heimnetz plugin package v1\n"
)

// Signature is an Ed25519 signature over a package's name and listing.
type Signature struct {
	KeyID string
	Sig   []byte
}

// Marshal returns the signature's one-line text form.
func (s *Signature) Marshal() []byte {
	return []byte(fmt.Sprintf("%s %s %s\n", signatureTag, s.KeyID, base64.StdEncoding.EncodeToString(s.Sig)))
}

// ParseSignature reads the text form Marshal writes.
func ParseSignature(data []byte) (*Signature, error) {
	f := strings.Fields(string(data))
	if len(f) != 3 || f[0] != signatureTag {
		return nil, fmt.Errorf("signature: want %q, key id and base64", signatureTag)
	}
	sig, err := base64.StdEncoding.DecodeString(f[2])
	if err != nil || len(sig) != ed25519.SignatureSize {
		return nil, fmt.Errorf("signature: not %d bytes of base64", ed25519.SignatureSize)
	}
	return &Signature{KeyID: f[1], Sig: sig}, nil
}

// KeyID names a public key: the first 8 bytes of its SHA-256, in hex.
func KeyID(pub ed25519.PublicKey) string {
	sum := sha256.Sum256(pub)
	return hex.EncodeToString(sum[:8])
}

func (p *Package) message() []byte {
	return append([]byte(signedPrefix+"name "+p.Name+"\n"), p.Listing()...)
}

// Sign signs the package with priv and embeds the signature.
func (p *Package) Sign(priv ed25519.PrivateKey) *Signature {
	pub := priv.Public().(ed25519.PublicKey)
	p.Signature = &Signature{KeyID: KeyID(pub), Sig: ed25519.Sign(priv, p.message())}
	return p.Signature
}

// Verify checks sig (the embedded signature when sig is nil) against the
// trusted keys and returns the ID of the key that signed the package.
func (p *Package) Verify(sig *Signature, trusted []ed25519.PublicKey) (string, error) {
	if sig == nil {
		sig = p.Signature
	}
	if sig == nil {
		return "", ErrUnsigned
	}
	msg := p.message()
	for _, k := range trusted {
		if ed25519.Verify(k, msg, sig.Sig) {
			return KeyID(k), nil
		}
	}
	for _, k := range trusted {
		if KeyID(k) == sig.KeyID {
			return "", fmt.Errorf("key %s: %w", sig.KeyID, ErrBadSignature)
		}
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
