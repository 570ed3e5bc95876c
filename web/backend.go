package web

import (
	"errors"
	"io"
	"time"

	"github.com/heimnetz/heimnetz/settings"
)

// ErrNotFound is returned (wrapped or bare) by a Backend when a named plugin
// or a numbered event does not exist. The API answers it with 404.
var ErrNotFound = errors.New("not found")

// ErrInvalid is returned (wrapped) by a Backend when the caller's input is
// wrong: a bad settings value, an archive that is not a plugin package, an
// unsigned package without allowUnsigned. The API answers it with 400 and
// the error text.
var ErrInvalid = errors.New("invalid input")

// ErrConflict is returned (wrapped) by a Backend when the request conflicts
// with the current state: an install of a plugin whose install is still in
// progress, an upgrade signed by another key than the installed version
// without InstallOptions.AllowSignerChange. The API answers it with 409 and
// the error text.
var ErrConflict = errors.New("conflict")

// ErrConfig is returned (wrapped) by a Backend when an action cannot be
// done because of how the agent is configured, not because of the request
// or a fault of the program: no plugins directory configured, one the
// agent cannot write, signed packages required but no trusted key. The
// error text names the setting to change, for example
//
//	fmt.Errorf("%w: no plugins directory; set plugins_dir or --plugins", web.ErrConfig)
//
// The API answers it with 409 and the error text, the page shows the
// text; neither treats it as an internal error.
var ErrConfig = errors.New("agent configuration")

// InstallOptions are the admin's explicit decisions for one install.
type InstallOptions struct {
	// AllowUnsigned accepts a package no trusted key signed
	// (?allow_unsigned=true).
	AllowUnsigned bool
	// AllowSignerChange accepts an upgrade signed by another key than the
	// installed version (or unsigned after signed), and lets a new plugin
	// keep kv data a removed plugin of another signer left
	// (?allow_signer_change=true). The agent records it as a security
	// event naming the old and new key ids.
	AllowSignerChange bool
}

// Backend is what the agent gives the web server. Web calls it from many
// goroutines at once and on every page view, so every method must be safe
// for concurrent use and cheap (no disk reads on the read path where a
// cached value will do).
//
// Strings in the returned values may come from plugins and are treated as
// hostile: web escapes them wherever they are shown.
type Backend interface {
	// Overview returns the device, agent, system and interface facts and the
	// current alerts.
	Overview() Overview
	// Network returns the uplink, the LAN's clients and the Wi-Fi radios
	// as the board shows them now. A source the board cannot read leaves
	// its part empty and is named in Network.Problems. The agent caches it
	// for a few seconds: web calls it on every Network page view and once
	// per history sample.
	Network() Network
	// Plugins returns every known plugin, loaded or not, sorted by name.
	Plugins() []PluginSummary
	// Plugin returns one plugin in detail, or an error wrapping ErrNotFound.
	Plugin(name string) (PluginDetail, error)
	// Events returns the newest events matching q (newest first, at most
	// q.Limit) and counts over all stored events.
	Events(q EventQuery) ([]Event, EventStats, error)

	// EnablePlugin enables and (re)starts a plugin; ErrNotFound if unknown.
	EnablePlugin(name string) error
	// DisablePlugin stops a plugin and keeps it disabled across restarts.
	DisablePlugin(name string) error
	// ReloadPlugin re-reads a plugin from disk and restarts it. A plugin
	// whose files no longer load is an error wrapping ErrInvalid (the
	// running version is kept).
	ReloadPlugin(name string) error
	// RemovePlugin stops an installed plugin and deletes its files; its
	// stored data is kept (clear it first to delete it). Bundled plugins
	// cannot be removed (ErrInvalid); disable them instead.
	RemovePlugin(name string) error
	// Docs returns the host API and plugin reference as one self-contained
	// HTML page (no scripts, every value escaped). /docs shows the content
	// of its body inside the pages' layout; its inline style is dropped.
	Docs() []byte
	// ClearPluginData deletes the plugin's stored key/value data.
	ClearPluginData(name string) error
	// AckEvents marks the events with these sequence numbers acknowledged.
	// Numbers it does not hold (never assigned, or dropped) are an error
	// wrapping ErrNotFound, after the others are acknowledged.
	AckEvents(seqs []uint64) error
	// InstallPlugin installs a plugin package (the archive bytes as
	// uploaded) and returns its name. A package the agent rejects is an
	// error wrapping ErrInvalid; one that conflicts with the installed
	// version's signer or with an install in progress wraps ErrConflict.
	// It may take as long as the plugin's load (its time limit) but never
	// blocks other requests.
	InstallPlugin(archive []byte, opts InstallOptions) (name string, err error)

	// Settings returns the current owner settings.
	Settings() Settings
	// UpdateSettings validates and stores new settings; bad values are an
	// error wrapping ErrInvalid.
	UpdateSettings(s Settings) error

	// SecurityEvent records a security-relevant event that web observed
	// (failed or rate-limited logins, CSRF failures, bad tokens). typ is one
	// of the EventType... constants, severity one of the Severity...
	// constants; msg never contains a secret. Every admin action is
	// reported on its own; what any client can cause (failed logins, bad
	// tokens, malformed requests) is counted into summaries per client and
	// minute, so a flood of bad requests cannot flood the event store.
	SecurityEvent(typ, severity, msg string)

	// Alerts returns the agent's built-in alerts as last evaluated: every
	// agent-wide alert, and a plugin's once it was pending; firing ones
	// first, critical before warning. It is cheap (no evaluation).
	Alerts() []AlertStatus

	// WriteMetrics writes the agent's and the plugins' metrics in the
	// Prometheus text format, every family with HELP and TYPE lines. Web
	// writes its own heimnetz_server_* families before it, or after it
	// for a backend that is also a MetricsRenderer.
	WriteMetrics(w io.Writer)
}

// Event types web reports through Backend.SecurityEvent.
const (
	EventTypeLoginFailed      = "login_failed"
	EventTypeLoginRateLimited = "login_rate_limited"
	EventTypeLogin            = "login"
	EventTypeCSRF             = "csrf_rejected"
	EventTypeBadToken         = "bad_token"
	EventTypeAdminAction      = "admin_action"
	EventTypeBadRequest       = "bad_request"
	EventTypeUnauthorized     = "unauthorized"
	EventTypeConnRefused      = "connection_refused"
)

// Severities of events and alerts, in rising order: the names of
// store.Severity (a test holds them equal to store.SeverityNames).
const (
	SeverityInfo     = "info"
	SeverityWarning  = "warning"
	SeverityHigh     = "high"
	SeverityCritical = "critical"
)

// Plugin states shown in PluginSummary.State.
const (
	StateRunning  = "running"
	StateIdle     = "idle"
	StateDisabled = "disabled"
	StateFailed   = "failed"
)

// Overview is everything the overview page shows besides plugins and events.
type Overview struct {
	Agent      AgentInfo   `json:"agent"`
	Device     DeviceInfo  `json:"device"`
	System     SystemStats `json:"system"`
	Interfaces []Interface `json:"interfaces"`
	Alerts     []Alert     `json:"alerts"`
}

// AgentInfo describes the running heimnetz binary. Web adds the Go runtime
// figures (RuntimeStats) itself.
type AgentInfo struct {
	Version string    `json:"version"`
	Commit  string    `json:"commit"`
	GOOS    string    `json:"goos"`
	GOARCH  string    `json:"goarch"`
	Started time.Time `json:"started"`
}

// DeviceInfo describes the router. Empty strings mean unknown.
type DeviceInfo struct {
	Hostname string `json:"hostname"`
	Model    string `json:"model"`
	Board    string `json:"board"`
	Release  string `json:"release"` // OpenWrt release, e.g. "OpenWrt 24.10.0"
	Arch     string `json:"arch"`
	Kernel   string `json:"kernel"`
}

// SystemStats are the device's load, memory and uptime.
type SystemStats struct {
	Load1             float64 `json:"load1"`
	Load5             float64 `json:"load5"`
	Load15            float64 `json:"load15"`
	MemTotalBytes     uint64  `json:"mem_total_bytes"`
	MemAvailableBytes uint64  `json:"mem_available_bytes"`
	UptimeSeconds     float64 `json:"uptime_seconds"`
}

// Interface is one network interface's counters since boot.
type Interface struct {
	Name     string `json:"name"`
	RxBytes  uint64 `json:"rx_bytes"`
	TxBytes  uint64 `json:"tx_bytes"`
	RxErrors uint64 `json:"rx_errors"`
	TxErrors uint64 `json:"tx_errors"`
}

// Alert is a current condition the owner should look at.
type Alert struct {
	Severity string    `json:"severity"`
	Source   string    `json:"source"` // plugin name or "agent"
	Message  string    `json:"message"`
	Since    time.Time `json:"since,omitzero"`
	// Name is the built-in alert's name (AlertStatus.Name) when the
	// banner is a firing alert; empty for the other banners.
	Name string `json:"name,omitempty"`
}

// Alert states of AlertStatus.State.
const (
	AlertFiring   = "firing"
	AlertPending  = "pending"
	AlertResolved = "resolved"
	AlertInactive = "inactive"
)

// AlertStatus is one of the agent's built-in alerts (GET /api/v1/alerts,
// the Alerts page): PluginDisabled, PluginLimitBreaks, PluginMemoryLeak,
// AgentMemoryHigh, StoreWriteFailing, FlashNearlyFull, WANDown, WANLossy
// or ClockNotSynchronised.
type AlertStatus struct {
	Name     string `json:"name"`
	Severity string `json:"severity"` // SeverityWarning or SeverityCritical
	State    string `json:"state"`    // one of the Alert... states
	// Since is when the alert entered its state (firing: when its
	// condition began to hold).
	Since time.Time `json:"since"`
	// Summary says in one line what is wrong; empty while inactive.
	Summary string `json:"summary"`
	// Labels are the alert's labels besides alertname and severity:
	// plugin for an alert about one plugin.
	Labels map[string]string `json:"labels,omitempty"`
	// Value is the measured value behind it (percent, count, bytes per
	// run); 0 where there is none.
	Value float64 `json:"value"`
}

// PluginSummary is one plugin at a glance. Durations are in seconds.
type PluginSummary struct {
	Name                string    `json:"name"`
	Version             string    `json:"version"`
	Description         string    `json:"description"`
	State               string    `json:"state"` // one of the State... constants
	Enabled             bool      `json:"enabled"`
	DisabledReason      string    `json:"disabled_reason,omitempty"`
	LastRun             time.Time `json:"last_run,omitzero"`
	LastDurationSeconds float64   `json:"last_duration_seconds"`
	Runs                uint64    `json:"runs"`
	Errors              uint64    `json:"errors"`
	LastError           string    `json:"last_error,omitempty"`
	IntervalSeconds     float64   `json:"interval_seconds"`
	MemoryBytes         uint64    `json:"memory_bytes"`
	CPUSeconds          float64   `json:"cpu_seconds"` // total since load; web derives CPU % from it
	KVKeys              int       `json:"kv_keys"`
	KVBytes             int64     `json:"kv_bytes"`
	Series              int       `json:"series"`
}

// PluginDetail is everything the plugin page shows.
type PluginDetail struct {
	PluginSummary
	Permissions []string   `json:"permissions"`
	Limits      []Limit    `json:"limits"`
	RecentRuns  []Run      `json:"recent_runs"`
	Logs        []LogLine  `json:"logs"`
	Metrics     []Series   `json:"metrics"`
	Docs        string     `json:"docs"`             // plain text or markdown, shown as text
	Source      string     `json:"source,omitempty"` // "bundled" or a directory
	Extra       []KeyValue `json:"extra,omitempty"`  // anything else worth showing
	// Memory is the plugin's live and peak memory and the leak
	// detector's verdict.
	Memory PluginMemory `json:"memory"`
}

// PluginMemory is a plugin's memory as its page shows it. Live memory is
// what the plugin's Lua state still reached at its most recent recount
// (garbage excluded; the agent recounts after a load and every few runs),
// the figure PluginSummary.MemoryBytes also gives; peak is the most it
// held during its recent runs, garbage included, as its memory limit
// counts it.
type PluginMemory struct {
	LiveBytes uint64 `json:"live_bytes"`
	PeakBytes uint64 `json:"peak_bytes"`
	// Leaking is true while the leak detector flags the plugin: its live
	// memory grew steadily over GrowthRuns runs.
	Leaking bool `json:"leaking"`
	// GrowthBytesPerRun is the fitted growth of live memory per run over
	// the last GrowthRuns runs; 0 when flat or not yet known.
	GrowthBytesPerRun float64   `json:"growth_bytes_per_run"`
	GrowthRuns        int       `json:"growth_runs"`
	LeakingSince      time.Time `json:"leaking_since,omitzero"`
}

// Limit is one limit of a plugin with its current use. Unit is one of
// "instructions", "bytes", "seconds", "percent", "count".
type Limit struct {
	Name string  `json:"name"`
	Max  float64 `json:"max"`
	Used float64 `json:"used"`
	Unit string  `json:"unit"`
}

// Run is one past call of a plugin's collect().
type Run struct {
	Time            time.Time `json:"time"`
	DurationSeconds float64   `json:"duration_seconds"`
	Instructions    uint64    `json:"instructions"`
	MemoryBytes     uint64    `json:"memory_bytes"`
	Error           string    `json:"error,omitempty"`
}

// LogLine is one line a plugin logged.
type LogLine struct {
	Time    time.Time `json:"time"`
	Level   string    `json:"level"`
	Message string    `json:"message"`
}

// Series is one metric series a plugin exports, with its current value.
type Series struct {
	Name   string     `json:"name"`
	Type   string     `json:"type"` // "gauge" or "counter"
	Labels []KeyValue `json:"labels"`
	Value  float64    `json:"value"`
}

// KeyValue is a name and a value, kept in order.
type KeyValue struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// EventQuery selects events. Zero fields do not filter.
type EventQuery struct {
	Limit       int    `json:"limit"`      // 1..500; web always sets it
	BeforeSeq   uint64 `json:"before_seq"` // only events with Seq < BeforeSeq
	Severity    string `json:"severity"`
	Type        string `json:"type"`
	Plugin      string `json:"plugin"`
	UnackedOnly bool   `json:"unacked_only"`
}

// Event is one stored security or operational event.
type Event struct {
	Seq      uint64    `json:"seq"`
	Time     time.Time `json:"time"`
	Type     string    `json:"type"`
	Severity string    `json:"severity"`
	Plugin   string    `json:"plugin,omitempty"`
	Message  string    `json:"message"`
	Acked    bool      `json:"acked"`
}

// EventStats counts all stored events, not only the returned ones.
type EventStats struct {
	Total           int `json:"total"`
	Unacked         int `json:"unacked"`
	UnackedCritical int `json:"unacked_critical"`
	UnackedWarning  int `json:"unacked_warning"` // warning only, not high
	UnackedHigh     int `json:"unacked_high"`
}

// Settings are the owner's settings that the page and API can change;
// package settings holds their names, ranges and validator, shared with
// the agent's config file.
type Settings = settings.Settings
