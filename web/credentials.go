package web

import (
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// ErrBadHash is returned when a configured password or token hash is not in
// the format HashPassword or HashToken produce.
var ErrBadHash = errors.New("malformed credential hash")

// PasswordIterations is the PBKDF2-HMAC-SHA256 iteration count HashPassword
// uses (OWASP's 2023 figure). A login on a 600 MHz MIPS router then takes
// about a second, which the login rate limit makes affordable.
const PasswordIterations = 600_000

const (
	passwordScheme  = "pbkdf2-sha256"
	tokenScheme     = "sha256"
	tokenPrefix     = "hnt_"
	credentialsFile = "web-admin.json"
	maxPasswordLen  = 1024
	minIterations   = 1000
	maxIterations   = 10_000_000
)

// HashPassword returns password hashed for Config.AdminPasswordHash, in the
// form "pbkdf2-sha256$ITERATIONS$SALT$KEY" (salt and key base64, raw URL
// alphabet).
func HashPassword(password string) (string, error) {
	return hashPasswordIter(password, PasswordIterations)
}

func hashPasswordIter(password string, iterations int) (string, error) {
	if password == "" || len(password) > maxPasswordLen {
		return "", fmt.Errorf("hash password: length must be 1..%d bytes", maxPasswordLen)
	}
	salt := make([]byte, 16)
	rand.Read(salt)
	key, err := pbkdf2.Key(sha256.New, password, salt, iterations, 32)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	enc := base64.RawURLEncoding
	return passwordScheme + "$" + strconv.Itoa(iterations) + "$" + enc.EncodeToString(salt) + "$" + enc.EncodeToString(key), nil
}

// passwordHash is a parsed HashPassword result.
type passwordHash struct {
	iterations int
	salt, key  []byte
}

func parsePasswordHash(s string) (passwordHash, error) {
	parts := strings.Split(s, "$")
	if len(parts) != 4 || parts[0] != passwordScheme {
		return passwordHash{}, fmt.Errorf("%w: want %s$ITERATIONS$SALT$KEY", ErrBadHash, passwordScheme)
	}
	iter, err := strconv.Atoi(parts[1])
	if err != nil || iter < minIterations || iter > maxIterations {
		return passwordHash{}, fmt.Errorf("%w: iterations %q outside %d..%d", ErrBadHash, parts[1], minIterations, maxIterations)
	}
	enc := base64.RawURLEncoding
	salt, err := enc.DecodeString(parts[2])
	if err != nil || len(salt) < 8 {
		return passwordHash{}, fmt.Errorf("%w: bad salt", ErrBadHash)
	}
	key, err := enc.DecodeString(parts[3])
	if err != nil || len(key) < 16 || len(key) > 64 {
		return passwordHash{}, fmt.Errorf("%w: bad key", ErrBadHash)
	}
	return passwordHash{iterations: iter, salt: salt, key: key}, nil
}

// verify reports whether password matches, in time independent of where a
// mismatch occurs.
func (h passwordHash) verify(password string) bool {
	if len(password) == 0 || len(password) > maxPasswordLen {
		return false
	}
	got, err := pbkdf2.Key(sha256.New, password, h.salt, h.iterations, len(h.key))
	if err != nil {
		return false
	}
	return subtle.ConstantTimeCompare(got, h.key) == 1
}

// NewToken returns a fresh random admin API token ("hnt_" and 43 base64
// characters, 256 bits).
func NewToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return tokenPrefix + base64.RawURLEncoding.EncodeToString(b)
}

// HashToken returns token hashed for Config.AdminTokenHash, in the form
// "sha256$HEX". A plain hash suffices because the token is random with 256
// bits of entropy.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return tokenScheme + "$" + hex.EncodeToString(sum[:])
}

func parseTokenHash(s string) ([32]byte, error) {
	var out [32]byte
	hexPart, ok := strings.CutPrefix(s, tokenScheme+"$")
	if !ok {
		return out, fmt.Errorf("%w: want %s$HEX", ErrBadHash, tokenScheme)
	}
	b, err := hex.DecodeString(hexPart)
	if err != nil || len(b) != len(out) {
		return out, fmt.Errorf("%w: want 64 hex digits", ErrBadHash)
	}
	copy(out[:], b)
	return out, nil
}

// credentials are the admin secrets in their verifiable (hashed) form.
type credentials struct {
	password passwordHash
	token    [32]byte
}

func (c *credentials) checkPassword(pw string) bool { return c.password.verify(pw) }

func (c *credentials) checkToken(tok string) bool {
	sum := sha256.Sum256([]byte(tok))
	return subtle.ConstantTimeCompare(sum[:], c.token[:]) == 1
}

// storedCredentials is the on-disk form of generated credentials.
type storedCredentials struct {
	PasswordHash string `json:"password_hash,omitempty"`
	TokenHash    string `json:"token_hash,omitempty"`
	// PasswordInUse and TokenInUse tag the hashes the last start used
	// (configured or generated), so that a start can tell the owner
	// changed one: an admin action, recorded as such.
	PasswordInUse string `json:"password_in_use,omitempty"`
	TokenInUse    string `json:"token_in_use,omitempty"`
}

// generated holds the plaintext of secrets generated on this start, to be
// logged exactly once, and which secrets changed since the last start.
type generated struct {
	password, token string
	changed         []string // "admin password", "admin token"
}

// hashTag names a credential hash without revealing it.
func hashTag(h string) string {
	sum := sha256.Sum256([]byte("heimnetz credential tag\n" + h))
	return hex.EncodeToString(sum[:8])
}

// loadCredentials resolves the admin credentials: configured hashes win;
// otherwise hashes stored in dataDir by an earlier start; otherwise new
// secrets are generated, stored (if dataDir is set) and returned in
// plaintext so the caller can show them once.
func loadCredentials(cfg Config, iterations int) (*credentials, generated, error) {
	var gen generated
	stored := storedCredentials{}
	path := ""
	if cfg.DataDir != "" {
		path = filepath.Join(cfg.DataDir, credentialsFile)
		data, err := os.ReadFile(path)
		switch {
		case errors.Is(err, fs.ErrNotExist):
		case err != nil:
			return nil, gen, fmt.Errorf("read %s: %w", path, err)
		default:
			if err := json.Unmarshal(data, &stored); err != nil {
				return nil, gen, fmt.Errorf("parse %s: %w", path, err)
			}
		}
	}
	pwHash, tokHash := cfg.AdminPasswordHash, cfg.AdminTokenHash
	changed := false
	if pwHash == "" {
		pwHash = stored.PasswordHash
	}
	if pwHash == "" {
		gen.password = rand.Text()
		h, err := hashPasswordIter(gen.password, iterations)
		if err != nil {
			return nil, gen, err
		}
		pwHash, stored.PasswordHash, changed = h, h, true
	}
	if tokHash == "" {
		tokHash = stored.TokenHash
	}
	if tokHash == "" {
		gen.token = NewToken()
		tokHash = HashToken(gen.token)
		stored.TokenHash, changed = tokHash, true
	}
	var c credentials
	var err error
	if c.password, err = parsePasswordHash(pwHash); err != nil {
		return nil, gen, fmt.Errorf("admin password hash: %w", err)
	}
	if c.token, err = parseTokenHash(tokHash); err != nil {
		return nil, gen, fmt.Errorf("admin token hash: %w", err)
	}
	for _, in := range []struct {
		name, hash string
		seen       *string
	}{{"admin password", pwHash, &stored.PasswordInUse}, {"admin token", tokHash, &stored.TokenInUse}} {
		if tag := hashTag(in.hash); *in.seen != tag {
			if *in.seen != "" {
				gen.changed = append(gen.changed, in.name)
			}
			*in.seen, changed = tag, true
		}
	}
	if changed && path != "" {
		if err := writeFileAtomic(path, stored); err != nil {
			return nil, gen, err
		}
	}
	return &c, gen, nil
}

func writeFileAtomic(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("encode %s: %w", path, err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("create %s: %w", filepath.Dir(path), err)
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(data, '\n'), 0o600); err != nil {
		return fmt.Errorf("write %s: %w", tmp, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("rename %s: %w", tmp, err)
	}
	return nil
}
