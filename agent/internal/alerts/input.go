package alerts

import "time"

// Input is what one evaluation looks at. A part the agent could not read
// is left at its zero value (or nil), and its alerts keep their state:
// not knowing is not the same as all being well.
type Input struct {
	// Time is the evaluation's time, on the agent's clock.
	Time time.Time `json:"time"`
	// Plugins are the known plugins; a plugin's alerts resolve when it
	// is gone.
	Plugins []Plugin `json:"plugins"`
	// Leaks are the leak detector's reports, one per tracked plugin; nil
	// when the agent has no detector.
	Leaks []Leak `json:"leaks"`
	// Memory is the agent's Go memory against its memory_limit.
	Memory Memory `json:"memory"`
	// Store is the state of the store's background writes.
	Store Store `json:"store"`
	// Flash is the overlay's (else the root filesystem's) use; nil when
	// it could not be read.
	Flash *Flash `json:"flash"`
	// WAN is the uplink: the default route and its link, and the owner's
	// probe.
	WAN *WAN `json:"wan"`
	// Clock is whether the system clock can be trusted; nil when the host
	// cannot tell.
	Clock *Clock `json:"clock"`
}

// Plugin is one plugin's state as the alerts see it.
type Plugin struct {
	Name string `json:"name"`
	// AutoDisabled is true when the agent disabled the plugin itself
	// (after repeated limit breaks); an owner's or the config's disable
	// is deliberate and not an alert.
	AutoDisabled   bool   `json:"auto_disabled"`
	DisabledReason string `json:"disabled_reason"`
	// Breaks counts the plugin's limit breaks since the agent started
	// (a count that falls is taken as a fresh start).
	Breaks uint64 `json:"breaks"`
}

// Leak is the leak detector's verdict on one plugin (see the agent's
// leak package: its Report carries the same fields).
type Leak struct {
	Plugin      string    `json:"plugin"`
	Leaking     bool      `json:"leaking"`
	BytesPerRun float64   `json:"bytes_per_run"`
	Runs        int       `json:"runs"`
	LiveBytes   int64     `json:"live_bytes"`
	Since       time.Time `json:"since"`
}

// Memory is the agent's Go memory as the runtime's memory limit counts it
// (mapped minus released) and the configured limit; Limit 0 is no limit.
type Memory struct {
	Bytes int64 `json:"bytes"`
	Limit int64 `json:"limit"`
}

// Store is the state of the store's background flushes and snapshots:
// whether each is failing now (it reports failing and working again) and
// how many have failed since start.
type Store struct {
	FlushFailing    bool   `json:"flush_failing"`
	SnapshotFailing bool   `json:"snapshot_failing"`
	FlushErrors     uint64 `json:"flush_errors"`
	SnapshotErrors  uint64 `json:"snapshot_errors"`
	// LastError is the newest failure's text, for the summary.
	LastError string `json:"last_error"`
}

// Flash is one filesystem's size and use, in bytes.
type Flash struct {
	MountPoint string `json:"mountpoint"`
	Size       uint64 `json:"size"`
	Free       uint64 `json:"free"`
	// Avail is what is left for unprivileged use (Free less the reserve).
	Avail uint64 `json:"avail"`
}

// UsedPercent is the share in use as df shows it: used over used plus
// available, so a reserve for root counts as full.
func (f Flash) UsedPercent() float64 {
	if f.Size == 0 || f.Free > f.Size {
		return 0
	}
	used := f.Size - f.Free
	if used+f.Avail == 0 {
		return 0
	}
	return 100 * float64(used) / float64(used+f.Avail)
}

// WAN is the uplink.
type WAN struct {
	// RouteKnown is true when the routing table could be read; then
	// DefaultRoute tells whether there is an IPv4 or IPv6 default route,
	// and LinkUp whether its interface is up.
	RouteKnown   bool   `json:"route_known"`
	DefaultRoute bool   `json:"default_route"`
	Interface    string `json:"interface"`
	LinkUp       bool   `json:"link_up"`
	// Probing is true when the owner configured the WAN probe and it has
	// ended a round; then SentTotal and ReceivedTotal count its echo
	// requests and replies since start.
	Probing       bool   `json:"probing"`
	Target        string `json:"target"`
	SentTotal     uint64 `json:"sent_total"`
	ReceivedTotal uint64 `json:"received_total"`
	// ProbeReason says why the probe's last round sent nothing or got no
	// reply (no permission for ICMP, a name that does not resolve).
	ProbeReason string `json:"probe_reason"`
}

// Clock is what the host says about its clock.
type Clock struct {
	// Unsynchronised is the kernel's STA_UNSYNC status bit (adjtimex):
	// no time service disciplines the clock.
	Unsynchronised bool `json:"unsynchronised"`
	// Now and Build are the clock's time and the build's time (its
	// source's, or the binary's); a clock before the build is certainly
	// wrong (a board without a real-time clock starts from an old date
	// until NTP answers). A zero Build is unknown.
	Now   time.Time `json:"now"`
	Build time.Time `json:"build"`
}
