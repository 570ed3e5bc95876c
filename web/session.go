package web

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"sync"
	"time"
)

// session is one logged-in admin browser.
type session struct {
	csrf     string
	created  time.Time
	lastSeen time.Time
}

// sessionStore keeps sessions in memory, keyed by the SHA-256 of their ID
// so that the map never holds a usable cookie value. It is bounded: when
// full, expired sessions go first, then the least recently used one.
type sessionStore struct {
	mu       sync.Mutex
	m        map[[32]byte]*session
	max      int
	idle     time.Duration
	absolute time.Duration
	now      func() time.Time
}

func newSessionStore(max int, idle, absolute time.Duration, now func() time.Time) *sessionStore {
	return &sessionStore{m: make(map[[32]byte]*session), max: max, idle: idle, absolute: absolute, now: now}
}

func randomID() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// create starts a session and returns its ID (the cookie value) and a copy.
func (s *sessionStore) create() (string, session) {
	id := randomID()
	now := s.now()
	sess := &session{csrf: randomID(), created: now, lastSeen: now}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.m) >= s.max {
		s.sweepLocked(now)
	}
	for len(s.m) >= s.max {
		s.evictOldestLocked()
	}
	s.m[sha256.Sum256([]byte(id))] = sess
	return id, *sess
}

// lookup returns the live session for id and marks it used; an expired one
// is removed.
func (s *sessionStore) lookup(id string) (session, bool) {
	if len(id) != 43 {
		return session{}, false
	}
	key := sha256.Sum256([]byte(id))
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	sess, ok := s.m[key]
	if !ok {
		return session{}, false
	}
	if s.expired(sess, now) {
		delete(s.m, key)
		return session{}, false
	}
	sess.lastSeen = now
	return *sess, true
}

// delete ends the session with this ID, if any.
func (s *sessionStore) delete(id string) {
	key := sha256.Sum256([]byte(id))
	s.mu.Lock()
	delete(s.m, key)
	s.mu.Unlock()
}

// expiry is when sess ends if it is not used again.
func (s *sessionStore) expiry(sess session) time.Time {
	idle := sess.lastSeen.Add(s.idle)
	abs := sess.created.Add(s.absolute)
	if idle.Before(abs) {
		return idle
	}
	return abs
}

func (s *sessionStore) expired(sess *session, now time.Time) bool {
	return !now.Before(sess.lastSeen.Add(s.idle)) || !now.Before(sess.created.Add(s.absolute))
}

func (s *sessionStore) sweepLocked(now time.Time) {
	for k, v := range s.m {
		if s.expired(v, now) {
			delete(s.m, k)
		}
	}
}

func (s *sessionStore) evictOldestLocked() {
	var oldestKey [32]byte
	var oldest *session
	for k, v := range s.m {
		if oldest == nil || v.lastSeen.Before(oldest.lastSeen) {
			oldestKey, oldest = k, v
		}
	}
	if oldest != nil {
		delete(s.m, oldestKey)
	}
}

// len returns the number of stored sessions.
func (s *sessionStore) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.m)
}
