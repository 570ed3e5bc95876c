package web

import (
	"sync"
	"time"
)

// Bounds on the per-client rate history: a home network has tens of
// devices; past maxHistoryClients a newcomer takes the place of the client
// seen longest ago, and is not tracked while every tracked client is still
// present (so a network of more devices does not churn). clientPoints samples at the default 15 s interval are 15 minutes.
const (
	maxHistoryClients = 64
	clientPoints      = 60
)

// ClientHistory is the rate history of one LAN client, oldest first.
type ClientHistory struct {
	RxBytesPerSecond []float64 `json:"rx_bytes_per_second"`
	TxBytesPerSecond []float64 `json:"tx_bytes_per_second"`
}

type clientRings struct {
	rx, tx         *ring
	prevRx, prevTx uint64
	seen           time.Time // last sample the client was in
	order          uint64    // when it was first tracked, to break ties
}

// clientHistory keeps each LAN client's traffic rate, keyed by its best
// identity (MAC, else IP), for at most maxHistoryClients clients.
type clientHistory struct {
	mu      sync.Mutex
	points  int
	keep    time.Duration // a client unseen this long is dropped
	last    time.Time
	next    uint64
	clients map[string]*clientRings
}

func newClientHistory(points int, interval time.Duration) *clientHistory {
	return &clientHistory{points: points, keep: time.Duration(points) * interval, clients: make(map[string]*clientRings)}
}

// clientKey is the identity a client's history is kept under.
func clientKey(c *NetworkClient) string {
	if c.MAC != "" {
		return c.MAC
	}
	return c.IP
}

// add records one sample of every client in n. A client's first sample
// and a sample whose sums went down (its flows ended) record zero.
func (h *clientHistory) add(now time.Time, n *Network) {
	h.mu.Lock()
	defer h.mu.Unlock()
	dt := 0.0
	if !h.last.IsZero() {
		dt = now.Sub(h.last).Seconds()
	}
	h.last = now
	rate := func(delta float64) float64 {
		if dt <= 0 || delta < 0 {
			return 0
		}
		return delta / dt
	}
	for i := range n.Clients {
		c := &n.Clients[i]
		key := clientKey(c)
		if key == "" {
			continue
		}
		cr, ok := h.clients[key]
		if !ok {
			if len(h.clients) >= maxHistoryClients && !h.dropOldest(now) {
				continue // every tracked client is still here: no churn
			}
			cr = &clientRings{rx: newRing(h.points), tx: newRing(h.points), order: h.next}
			h.next++
			h.clients[key] = cr
			cr.rx.push(0)
			cr.tx.push(0)
		} else if cr.seen.Equal(now) {
			continue // the same client listed twice
		} else {
			cr.rx.push(rate(counterDelta(cr.prevRx, c.RxBytes)))
			cr.tx.push(rate(counterDelta(cr.prevTx, c.TxBytes)))
		}
		cr.prevRx, cr.prevTx, cr.seen = c.RxBytes, c.TxBytes, now
	}
	for key, cr := range h.clients {
		if cr.seen.Equal(now) {
			continue
		}
		if now.Sub(cr.seen) > h.keep {
			delete(h.clients, key)
			continue
		}
		cr.rx.push(0) // gone quiet or away: no traffic in this interval
		cr.tx.push(0)
	}
}

// dropOldest removes the client seen longest ago (the first tracked
// among equals) unless it was seen at now, and reports whether it removed
// one. The caller holds mu.
func (h *clientHistory) dropOldest(now time.Time) bool {
	var (
		oldKey string
		old    *clientRings
	)
	for key, cr := range h.clients {
		if old == nil || cr.seen.Before(old.seen) || cr.seen.Equal(old.seen) && cr.order < old.order {
			oldKey, old = key, cr
		}
	}
	if old == nil || !old.seen.Before(now) {
		return false
	}
	delete(h.clients, oldKey)
	return true
}

// client returns one client's history, if tracked.
func (h *clientHistory) client(c *NetworkClient) (ClientHistory, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	cr, ok := h.clients[clientKey(c)]
	if !ok {
		return ClientHistory{}, false
	}
	return ClientHistory{RxBytesPerSecond: cr.rx.values(), TxBytesPerSecond: cr.tx.values()}, true
}

// fillRates sets each client's newest rates in n from the history.
func (h *clientHistory) fillRates(n *Network) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for i := range n.Clients {
		c := &n.Clients[i]
		if cr, ok := h.clients[clientKey(c)]; ok {
			c.RxBytesPerSecond, c.TxBytesPerSecond = cr.rx.last(), cr.tx.last()
		}
	}
}

// len is the number of clients tracked.
func (h *clientHistory) len() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.clients)
}
