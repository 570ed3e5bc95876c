// Package config is the agent's configuration: its fields with their JSON
// names, the embedded defaults, reading the config file, validation, and
// what the other parts of the agent derive from it (limits ceilings, the
// store's options, the plugins directory).
package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/heimnetz/heimnetz/limits"
	"github.com/heimnetz/heimnetz/luaplugins"
	"github.com/heimnetz/heimnetz/settings"
	"github.com/heimnetz/heimnetz/store"
)

// Config is the agent's whole configuration. Defaults live in
// Default; the config file (JSON, written by the OpenWrt init script
// from UCI) and the command-line flags only fill it.
type Config struct {
	// Settings are the fields the status page and the admin API change at
	// run time (pages_require_login, log_level, breaks_before_disable,
	// event_retention), with the same names there as here; once changed
	// there they are kept in the store and override this file's values.
	settings.Settings
	Listen           string   `json:"listen"`
	DataDir          string   `json:"data_dir"`
	LiveDir          string   `json:"live_dir"` // RAM-backed dir for the live database; empty: under data_dir
	SnapshotInterval Duration `json:"snapshot_interval"`
	// PluginsDir holds installed plugins; empty means <data_dir>/plugins
	// (see PluginsDirectory).
	PluginsDir string `json:"plugins_dir"`
	NoBundled  bool   `json:"no_bundled"`
	// MemoryLimit is the Go runtime's soft memory limit (debug.SetMemoryLimit).
	MemoryLimit Size `json:"memory_limit"`
	// GCPercent is the Go garbage collector's target (debug.SetGCPercent).
	GCPercent int `json:"gc_percent"`
	// AdminPasswordHash is the admin password's hash as `heimnetz passwd` prints it.
	AdminPasswordHash string `json:"admin_password_hash"`
	// AdminToken is an API token; empty means generated on first start.
	AdminToken string `json:"admin_token"`
	// HTTPS serves the page and API over HTTPS with a self-signed
	// certificate generated on first start (needs a build with -tags https).
	HTTPS bool `json:"https"`
	// Hostnames are names the page and API answer to besides localhost,
	// the router's host name and the IP addresses of its interfaces (e.g.
	// "router.lan"); a request whose Host header names anything else gets
	// 421 on every route but /metrics and /healthz (DNS rebinding).
	Hostnames []string `json:"hostnames"`
	// MaxConnections and MaxConnectionsPerIP bound the web server's
	// connections, in all and from one address (IPv6: one /64); zero
	// keeps web's defaults (1024 and 512). See web/conngate.go.
	MaxConnections      int `json:"max_connections"`
	MaxConnectionsPerIP int `json:"max_connections_per_ip"`
	// Ceilings are the most a plugin manifest may ask for.
	Ceilings Ceilings `json:"ceilings"`
	// TrustedKeys are public key files (`heimnetz key new`); a plugin
	// package installs only when signed by one of them, or when the owner
	// accepts it explicitly as unsigned.
	TrustedKeys []string `json:"trusted_keys"`
	// ExposeClientIdentity lets plugins see LAN clients' MAC addresses,
	// DHCP client ids and host names, and so put them into metric labels.
	// Off (the default), the clients module gives a stable keyed hash of
	// the MAC and client id (the key is made once and kept in the
	// database) and no host name; IP addresses are always given.
	ExposeClientIdentity bool `json:"expose_client_identity"`
	// WANProbe is the agent's ICMP echo probe of the uplink; off while
	// its target is empty.
	WANProbe WANProbe `json:"wan_probe"`
	// Plugins are the owner's switches per plugin, by plugin name: turn a
	// plugin off or run it at another interval than its manifest's. A
	// name no plugin has is kept (the plugin may be installed later) and
	// logged as a warning at start. UCI: a `config plugin` section per
	// plugin (see scripts/openwrt/files/heimnetz.config).
	Plugins map[string]PluginSwitch `json:"plugins"`
	// Push sends the agent's metrics to a remote Prometheus-compatible
	// endpoint (VictoriaMetrics); off while its URL is empty. UCI: the
	// `config push 'push'` section.
	Push Push `json:"push"`
}

// WANProbe configures the agent's ICMP echo probe of the uplink. Only the
// owner sets it (never a plugin): the agent sends Count echo requests to
// Target every Interval, each waiting up to Timeout for its reply.
type WANProbe struct {
	// Target is an IP address or a host name (resolved once per round);
	// empty turns the probe off.
	Target   string   `json:"target"`
	Interval Duration `json:"interval"`
	Count    int      `json:"count"`
	Timeout  Duration `json:"timeout"`
}

// Validate reports a probe setting the agent cannot run with: a round
// (Count requests, each waiting up to Timeout) must fit in Interval.
func (p WANProbe) Validate() error {
	switch {
	case p.Target == "":
		return nil
	case len(p.Target) > 253:
		return errors.New("config wan_probe.target: longer than a host name (253)")
	case p.Count < 1 || p.Count > 100:
		return fmt.Errorf("config wan_probe.count: %d, want 1 to 100", p.Count)
	case p.Timeout < Duration(10*time.Millisecond):
		return errors.New("config wan_probe.timeout: at least 10ms")
	case p.Interval < Duration(time.Second):
		return errors.New("config wan_probe.interval: at least 1s")
	case time.Duration(p.Timeout)*time.Duration(p.Count) >= time.Duration(p.Interval):
		return fmt.Errorf("config wan_probe: count %d × timeout %v must be less than interval %v", p.Count, time.Duration(p.Timeout), time.Duration(p.Interval))
	}
	return nil
}

// PluginSwitch is what the owner sets for one plugin; the zero value
// changes nothing.
type PluginSwitch struct {
	// Enabled false keeps the plugin from running: it shows as disabled
	// with the reason "disabled in the config", and an admin cannot enable
	// it over the API until the config changes. Absent (nil) is on.
	Enabled *bool `json:"enabled,omitempty"`
	// Interval replaces the manifest's interval; zero keeps it. At least
	// luaplugins.MinInterval and at most MaxPluginInterval.
	Interval Duration `json:"interval,omitempty"`
}

// MaxPluginInterval is the longest interval the config may give a plugin:
// a collector run less than once a day leaves its series stale longer
// than any dashboard looks back, so a longer one is a typo.
const MaxPluginInterval = 24 * time.Hour

// Off reports whether the owner turned the plugin off.
func (p PluginSwitch) Off() bool { return p.Enabled != nil && !*p.Enabled }

// Ceilings are the owner's caps on what manifests may ask for.
type Ceilings struct {
	Instructions int64    `json:"instructions"`
	Memory       Size     `json:"memory"`
	Timeout      Duration `json:"timeout"`
	CPU          string   `json:"cpu"`
}

// Default returns the embedded defaults `heimnetz run` uses without a
// config file.
func Default() Config {
	c := limits.Ceilings()
	return Config{
		Listen:           "127.0.0.1:9110",
		DataDir:          "./data",
		SnapshotInterval: Duration(store.DefaultSnapshotInterval),
		Settings: settings.Settings{
			LogLevel:            "info",
			BreaksBeforeDisable: limits.Defaults().BreaksBeforeDisable,
			EventRetention:      store.DefaultMaxEvents,
		},
		MemoryLimit: Size(24 << 20),
		GCPercent:   50,
		WANProbe:    WANProbe{Interval: Duration(10 * time.Second), Count: 3, Timeout: Duration(time.Second)},
		Push:        DefaultPush(),
		Ceilings: Ceilings{
			Instructions: c.Instructions, Memory: Size(c.Memory), Timeout: Duration(c.Timeout),
			CPU: limits.FormatPercent(c.CPU),
		},
	}
}

// LoadFile fills c from a JSON file; unknown fields are errors.
func (c *Config) LoadFile(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("config: %w", err)
	}
	if len(data) > 1<<20 {
		return fmt.Errorf("config %s: larger than 1 MiB", path)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(c); err != nil {
		return fmt.Errorf("config %s: %w", path, err)
	}
	return nil
}

// MaxLimits returns the configured ceilings as limits: the most a plugin
// manifest may ask for.
func (c Config) MaxLimits() (limits.Limits, error) {
	l := limits.Ceilings()
	if c.Ceilings.Instructions > 0 {
		l.Instructions = c.Ceilings.Instructions
	}
	if c.Ceilings.Memory > 0 {
		l.Memory = int64(c.Ceilings.Memory)
	}
	if c.Ceilings.Timeout > 0 {
		l.Timeout = time.Duration(c.Ceilings.Timeout)
	}
	if c.Ceilings.CPU != "" {
		f, err := limits.ParsePercent(c.Ceilings.CPU)
		if err != nil {
			return l, fmt.Errorf("config ceilings.cpu: %w", err)
		}
		l.CPU = f
	}
	return l, nil
}

// PluginsDirectory is where plugins are read from and installed to: the
// configured plugins_dir, or the directory "plugins" in the data directory.
func (c Config) PluginsDirectory() string {
	if c.PluginsDir != "" {
		return c.PluginsDir
	}
	return filepath.Join(c.DataDir, "plugins")
}

// StoreOptions are the options of the agent's database as this config
// sets them. Every command that opens the database uses them, so a
// command run beside the agent opens the same file the agent does.
func (c Config) StoreOptions() store.Options {
	opts := store.DefaultOptions(c.DataDir)
	if c.LiveDir != "" {
		opts = store.RouterOptions(c.LiveDir, c.DataDir)
	}
	opts.SnapshotInterval = time.Duration(c.SnapshotInterval)
	opts.MaxEvents = c.EventRetention
	return opts
}

// Validate reports the first field that holds a value the agent cannot
// run with, naming it as the config file does.
func (c Config) Validate() error {
	switch {
	case c.Listen == "":
		return errors.New("config listen: empty")
	case c.DataDir == "":
		return errors.New("config data_dir: empty")
	case c.MaxConnections < 0 || c.MaxConnectionsPerIP < 0:
		return errors.New("config max_connections, max_connections_per_ip: must not be negative")
	case c.GCPercent < 10 && c.GCPercent != -1:
		return errors.New("config gc_percent: must be at least 10 (or -1 to turn the collector off)")
	}
	if err := c.WANProbe.Validate(); err != nil {
		return err
	}
	if err := c.Push.Validate(); err != nil {
		return err
	}
	if err := c.Settings.Validate(); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	for _, name := range slices.Sorted(maps.Keys(c.Plugins)) {
		if err := c.Plugins[name].validate(name); err != nil {
			return err
		}
	}
	_, err := c.MaxLimits()
	return err
}

// validate checks the switch of the plugin called name; a name no
// plugin has is not an error here (see Config.Plugins), one no plugin can
// have is.
func (p PluginSwitch) validate(name string) error {
	if !luaplugins.ValidName(name) {
		return fmt.Errorf("config plugins: %q is not a plugin name ([a-z][a-z0-9-]{0,31}; in UCI, _ stands for -)", name)
	}
	if d := time.Duration(p.Interval); d != 0 && (d < luaplugins.MinInterval || d > MaxPluginInterval) {
		return fmt.Errorf("config plugins.%s.interval: %s is outside %s..%s", name, d, luaplugins.MinInterval, MaxPluginInterval)
	}
	return nil
}

// Duration is a time.Duration written as text ("30m") in JSON.
type Duration time.Duration

// UnmarshalJSON reads "30m" style text.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("duration must be text such as \"30m\": %w", err)
	}
	v, err := limits.ParseDuration(s)
	if err != nil {
		return err
	}
	*d = Duration(v)
	return nil
}

// MarshalJSON writes the duration as text.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

// Size is a byte count written as text ("24MiB") in JSON.
type Size int64

// UnmarshalJSON reads "24MiB" style text or a plain number of bytes.
func (s *Size) UnmarshalJSON(b []byte) error {
	var text string
	if err := json.Unmarshal(b, &text); err != nil {
		var n int64
		if err2 := json.Unmarshal(b, &n); err2 != nil {
			return fmt.Errorf("size must be text such as \"24MiB\" or a number of bytes")
		}
		*s = Size(n)
		return nil
	}
	v, err := limits.ParseSize(text)
	if err != nil {
		return err
	}
	*s = Size(v)
	return nil
}

// MarshalJSON writes the size as text.
func (s Size) MarshalJSON() ([]byte, error) {
	return json.Marshal(limits.FormatSize(int64(s)))
}
