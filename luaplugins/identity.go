package luaplugins

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"strings"

	"github.com/heimnetz/heimnetz/board"
)

// Identity says what the clients module tells plugins about who a client
// is: its MAC address, host name and DHCP client id. Whatever a plugin is
// told can end up in metric labels, and from there in the owner's home
// Prometheus, its backups and remote writes, so the zero value tells
// nothing. The agent fills it from the config (expose_client_identity)
// and a key it keeps beside its database.
//
// IP addresses are always given: the owner's LAN addresses say little on
// their own, and per-client traffic needs them.
type Identity struct {
	// Expose hands plugins the real MAC addresses, host names and client
	// ids. Key is then unused.
	Expose bool
	// Key, when Expose is false and Key is not empty, replaces each MAC
	// address and client id by a stable keyed hash, "h:" and the first 12
	// hex digits of HMAC-SHA256(Key, lowercase value), and drops host
	// names. The same device keeps the same hash while the key is kept,
	// so its series stay continuous, and the hash names no device to
	// whoever reads the metrics without the key. A MAC address hashes to
	// the same value from a lease and from a Wi-Fi station, so plugins can
	// join the two. With no Key the three are removed.
	Key []byte

	// masks remembers the hashes already made, when set (each plugin's
	// Host has its own, see withMemo): the same few MAC addresses come
	// back in every read, and an HMAC is a tenth of a clients read.
	masks *maskMemo
}

// maskMemoSize bounds a maskMemo: a home's devices fit many times over;
// a network that keeps inventing MAC addresses only empties it more often.
const maskMemoSize = 512

// maskMemo maps a value to its keyed hash, for one Identity. It is not
// safe for concurrent use (a plugin's calls are serialised).
type maskMemo struct{ m map[string]string }

// withMemo returns id with a memo of its own for the hashes it makes.
func (id Identity) withMemo() Identity {
	if !id.Expose && len(id.Key) != 0 {
		id.masks = &maskMemo{m: make(map[string]string)}
	}
	return id
}

// IdentityHashPrefix starts every hashed identity.
const IdentityHashPrefix = "h:"

// identityHashHex is how many hex digits of the HMAC a hashed identity
// keeps: 48 bits, enough that two devices of one home collide with a
// probability of about n²/2^49 (1e-11 for a hundred devices).
const identityHashHex = 12

// Mask returns what a plugin is told for the identity v (a MAC address or
// client id): v itself when exposed, its keyed hash when there is a key,
// and "" otherwise or when v is "".
func (id Identity) Mask(v string) string {
	var m masker
	return m.mask(id, v)
}

// masker masks the identities of one board read with one keyed HMAC,
// reset between values, rather than a new one (two hash states and their
// key pads) for each. Its zero value is ready; it is not safe for
// concurrent use.
type masker struct {
	mac hash.Hash
	sum [sha256.Size]byte
	in  []byte
}

// mask returns Identity.Mask(v) for id, which must be the same on every
// call.
func (m *masker) mask(id Identity, v string) string {
	switch {
	case v == "" || id.Expose:
		return v
	case len(id.Key) == 0:
		return ""
	}
	if id.masks != nil {
		if h, ok := id.masks.m[v]; ok {
			return h
		}
	}
	h := m.hash(id, v)
	if id.masks != nil {
		if len(id.masks.m) >= maskMemoSize {
			clear(id.masks.m)
		}
		// The memo keeps its own copy of v, not a slice of a file's
		// text the board read.
		id.masks.m[strings.Clone(v)] = h
	}
	return h
}

// hash is the keyed hash of v: "h:" and the first hex digits of
// HMAC-SHA256(id.Key, lowercase v).
func (m *masker) hash(id Identity, v string) string {
	if m.mac == nil {
		m.mac = hmac.New(sha256.New, id.Key)
	} else {
		m.mac.Reset()
	}
	// An ASCII lowercase of the value, as strings.ToLower would give for
	// a MAC address or a client id's hex, without a string for it; other
	// bytes go through strings.ToLower.
	m.in = m.in[:0]
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c >= 0x80 {
			m.in = append(m.in[:0], strings.ToLower(v)...)
			break
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		m.in = append(m.in, c)
	}
	m.mac.Write(m.in)
	var out [len(IdentityHashPrefix) + identityHashHex]byte
	copy(out[:], IdentityHashPrefix)
	hex.Encode(out[len(IdentityHashPrefix):], m.mac.Sum(m.sum[:0])[:identityHashHex/2])
	return string(out[:])
}

// hostname returns what a plugin is told of a client's host name: the
// name when exposed, else nothing (a hash of a chosen name adds nothing
// the MAC address's hash does not).
func (id Identity) hostname(name string) string {
	if id.Expose {
		return name
	}
	return ""
}

// leases returns a copy of ls with identities masked; the board's own
// slice is left alone.
func (id Identity) leases(ls []board.Lease) []board.Lease {
	if id.Expose || ls == nil {
		return ls
	}
	out := make([]board.Lease, len(ls))
	var m masker
	for i, l := range ls {
		l.MAC = m.mask(id, l.MAC)
		l.ClientID = m.mask(id, l.ClientID)
		l.Hostname = id.hostname(l.Hostname)
		out[i] = l
	}
	return out
}

// maskedStation is a WifiStation whose MAC is left out of its table when
// removed, as a lease's is (the outer field hides the embedded one in
// JSON).
type maskedStation struct {
	board.WifiStation
	MAC string `json:"mac,omitempty"`
}

// stations returns ss with MAC addresses masked.
func (id Identity) stations(ss []board.WifiStation) any {
	if id.Expose || ss == nil {
		return ss
	}
	out := make([]maskedStation, len(ss))
	var m masker
	for i, s := range ss {
		out[i] = maskedStation{WifiStation: s, MAC: m.mask(id, s.MAC)}
	}
	return out
}
