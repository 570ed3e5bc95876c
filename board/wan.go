package board

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
)

const fileFixtureAddresses = FixtureDir + "/addresses"

// maxAddresses bounds the addresses listed for one interface.
const maxAddresses = 64

// WAN is the uplink as the routing table shows it: the interfaces of the
// default routes and their state.
type WAN struct {
	// Interface and Gateway are the IPv4 default route's; empty when there
	// is none (the uplink is down or not configured).
	Interface string `json:"interface,omitempty"`
	Gateway   string `json:"gateway,omitempty"`
	// Interface6 and Gateway6 are the IPv6 default route's.
	Interface6 string `json:"interface6,omitempty"`
	Gateway6   string `json:"gateway6,omitempty"`
	// Up is whether Interface (else Interface6) has operstate "up" or
	// "unknown" (PPP and tunnels do not track state).
	Up        bool   `json:"up"`
	OperState string `json:"operstate,omitempty"`
	// Carrier is nil when the kernel cannot tell.
	Carrier *bool `json:"carrier,omitempty"`
	// Addresses are the addresses (with prefix length) of Interface and
	// Interface6.
	Addresses []string `json:"addresses"`
}

// WAN finds the default routes (the lowest metric wins) and reads their
// interfaces' link state and addresses. Without a default route the
// result has no interface and err is nil. A live Board takes addresses
// from the kernel; a fixture tree from heimnetz-fixture/addresses
// ("IFNAME ADDRESS/PREFIXLEN" lines).
func (b *Board) WAN() (WAN, error) {
	w := WAN{Addresses: []string{}}
	v4, v6, err := b.routes()
	if err != nil && len(v4) == 0 && len(v6) == 0 {
		return WAN{}, err
	}
	var errs []error
	if err != nil {
		errs = append(errs, err)
	}
	if r, ok := defaultRoute(v4, "0.0.0.0/0"); ok {
		w.Interface, w.Gateway = r.Interface, r.Gateway
	}
	if r, ok := defaultRoute(v6, "::/0"); ok {
		w.Interface6, w.Gateway6 = r.Interface, r.Gateway
	}
	for i, name := range []string{w.Interface, w.Interface6} {
		if name == "" || i == 1 && name == w.Interface {
			continue
		}
		if w.OperState == "" {
			state, carrier, err := b.linkState(name)
			if err != nil {
				errs = append(errs, err)
			} else {
				w.OperState, w.Carrier = state, carrier
				w.Up = state == "up" || state == "unknown"
			}
		}
		addrs, err := b.addresses(name)
		if err != nil {
			errs = append(errs, err)
		}
		w.Addresses = append(w.Addresses, addrs...)
	}
	return w, errors.Join(errs...)
}

// defaultRoute returns the route to prefix with the lowest metric.
func defaultRoute(routes []Route, prefix string) (Route, bool) {
	var best Route
	found := false
	for _, r := range routes {
		if r.Prefix == prefix && (!found || r.Metric < best.Metric) {
			best, found = r, true
		}
	}
	return best, found
}

// addresses lists the addresses of the interface name.
func (b *Board) addresses(name string) ([]string, error) {
	if b.live {
		ifc, err := net.InterfaceByName(name)
		if err != nil {
			return nil, fmt.Errorf("board: addresses of %s: %w", name, err)
		}
		as, err := ifc.Addrs()
		if err != nil {
			return nil, fmt.Errorf("board: addresses of %s: %w", name, err)
		}
		var out []string
		for _, a := range as[:min(len(as), maxAddresses)] {
			if p, err := netip.ParsePrefix(a.String()); err == nil {
				out = append(out, p.String())
			}
		}
		return out, nil
	}
	data, err := b.readFile(fileFixtureAddresses)
	if err != nil {
		return nil, err
	}
	var out []string
	for n, line := range lines(string(data)) {
		f := strings.Fields(line)
		if len(f) != 2 || f[0] != name {
			continue
		}
		p, err := netip.ParsePrefix(f[1])
		if err != nil {
			return out, malformed(fileFixtureAddresses, n, "%w", err)
		}
		if len(out) < maxAddresses {
			out = append(out, p.String())
		}
	}
	return out, nil
}
