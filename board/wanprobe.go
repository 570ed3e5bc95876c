package board

import (
	"errors"
	"sync/atomic"
)

// ErrNoWANProbe is WANProbe's reason when the agent runs no probe: the
// owner configured no target (wan_probe.target in the agent's config), or
// the first round has not ended yet.
var ErrNoWANProbe = errors.New("no WAN probe: the owner sets wan_probe.target in the agent config (UCI option wan_probe_target)")

// WANProbe is the last round of the agent's ICMP echo probe of the
// uplink, with totals since the agent started. The agent measures it;
// plugins only read it.
type WANProbe struct {
	// Target is the configured target as written (an address or a host
	// name, resolved once per round).
	Target string `json:"target"`
	// Up is true when the last round got at least one reply.
	Up bool `json:"up"`
	// Time is when the last round ended, in seconds since the epoch.
	Time int64 `json:"time"`
	// LossRatio is the share of the last round's requests that got no
	// reply (1 when nothing could be sent).
	LossRatio float64 `json:"loss_ratio"`
	// SentTotal and ReceivedTotal count requests and replies since start.
	SentTotal     uint64 `json:"sent_total"`
	ReceivedTotal uint64 `json:"received_total"`
	// Reason says why the last round sent nothing or got no reply from a
	// name that did not resolve; empty otherwise.
	Reason string `json:"reason,omitempty"`
	// PingResult is the last round: address, counts and round-trip times.
	PingResult
}

// wanProbe holds the probe's result for a Board; nil until SetWANProbe.
type wanProbe = atomic.Pointer[WANProbe]

// SetWANProbe records the agent's latest probe round, which WANProbe
// returns from then on. Safe for concurrent use with the readers.
func (b *Board) SetWANProbe(p WANProbe) { b.probe.Store(&p) }

// WANProbe returns the agent's latest ICMP probe round of the uplink. It
// returns ErrNoWANProbe while there is none (no target configured, or the
// first round still running).
func (b *Board) WANProbe() (WANProbe, error) {
	p := b.probe.Load()
	if p == nil {
		return WANProbe{}, ErrNoWANProbe
	}
	return *p, nil
}
