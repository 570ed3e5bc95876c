package core

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/VictoriaMetrics/metrics"

	"github.com/heimnetz/heimnetz/limits/oneline"
	"github.com/heimnetz/heimnetz/store"
)

// Event types: the fixed, documented set every security event uses.
// README.md lists them with their meaning; the API and the page show them.
const (
	EvLimitBreak      = "limit_break"                 // a call broke a limit and was ended
	EvOutputLimit     = "output_limit"                // a log, series or kv cap was hit; output was dropped or refused
	EvPluginDisabled  = "plugin_disabled"             // a plugin was disabled after repeated breaks or by an admin
	EvPluginEnabled   = "plugin_enabled"              // an admin enabled a plugin
	EvPluginError     = "plugin_error"                // a plugin failed to load
	EvManifestInvalid = "manifest_rejected"           // a plugin's manifest did not validate
	EvCPUThrottled    = "cpu_throttled"               // a plugin used its CPU share and a run was skipped
	EvStoreRecovered  = store.EventTypeStoreRecovered // a bad database file was moved aside or repaired
	EvStore           = store.EventTypeStore          // what else the store did on open, or a store failure
	EvLoginFailed     = "login_failed"                // web: a wrong password or token
	EvLoginRateLimit  = "login_rate_limited"
	EvLogin           = "login"
	EvCSRF            = "csrf_rejected"
	EvBadToken        = "bad_token"
	EvBadRequest      = "bad_request"
	EvUnauthorized    = "unauthorized"       // web: an admin route asked without credentials
	EvConnRefused     = "connection_refused" // web: one client opened too many connections
	EvAdminAction     = "admin_action"
	EvAgentStart      = "agent_start"
	EvAgentStop       = "agent_stop"
	EvAlert           = "alert" // a built-in alert fired, changed severity or resolved

	// Plugin packages (heimnetz plugin install, POST /api/v1/plugins/install).
	EvPluginInstalled  = "plugin_installed"         // a package was installed or upgraded
	EvPluginRemoved    = "plugin_removed"           // an installed plugin was removed
	EvInstallRejected  = "plugin_install_rejected"  // a package was refused (signature, shape, check)
	EvUnsignedAccepted = "unsigned_plugin_accepted" // the owner installed a package no trusted key signed
	EvSignerChanged    = "plugin_signer_changed"    // an upgrade changed signer, or data of another signer was kept or wiped
)

// EventTypes lists every event type with its meaning, for the docs.
var EventTypes = map[string]string{
	EvLimitBreak:      "a plugin call broke a limit (instructions, memory, time, cpu, depth) and was ended; info and \"under load\" for a wall-time break the plugin used under a quarter of, which does not count toward disabling",
	EvOutputLimit:     "a plugin hit an output cap (log lines, metric series, kv quota); the excess was dropped or refused",
	EvPluginDisabled:  "a plugin was disabled, after repeated limit breaks or by an admin",
	EvPluginEnabled:   "an admin enabled a plugin",
	EvPluginError:     "a plugin failed to load (at start, or after a reload or upgrade): compile error, error or limit break in its top-level chunk; once per version",
	EvManifestInvalid: "a plugin's manifest did not validate; the plugin was not loaded",
	EvCPUThrottled:    "a plugin used up its CPU share; its runs are skipped until the share refills",
	EvStoreRecovered:  "the store recovered at start: a damaged database file was repaired, or moved aside (then the snapshot restored, or an empty database started)",
	EvStore:           "the store restored its snapshot at start, migrated its schema or removed old copies; or its commits or snapshots are failing",
	EvLoginFailed:     "a login with a wrong password or token",
	EvLoginRateLimit:  "login attempts from one client were rate limited",
	EvLogin:           "an admin logged in",
	EvCSRF:            "a state-changing request without a valid CSRF token was refused",
	EvBadToken:        "an API request with an invalid admin token",
	EvBadRequest:      "a malformed or oversized request was refused (floods are counted into one summary per client and minute)",
	EvUnauthorized:    "an API or admin request without credentials was refused (floods are counted into summaries)",
	EvConnRefused:     "a client's connection was refused at the per-client connection limit (429; counted into summaries)",
	EvAdminAction:     "an admin did something (enable, disable, reload, clear, remove, install, settings, acknowledge, log out); one event per action, naming the session or token and the address",
	EvAgentStart:      "the agent started",
	EvAgentStop:       "the agent stopped cleanly",
	EvAlert:           "a built-in alert (see the Alerts page) started firing, changed severity or resolved; the message names the alert, its plugin if any, and the value",

	EvPluginInstalled:  "a plugin package was installed or upgraded (its content hash and signing key are named)",
	EvPluginRemoved:    "an installed plugin was removed",
	EvInstallRejected:  "a plugin package was refused: unsigned or untrusted, unsafe archive, or check findings at or above high",
	EvUnsignedAccepted: "the owner explicitly installed a plugin package that no trusted key signed: unsigned, or signed by an untrusted key (named)",
	EvLeak:             "a plugin's live memory (after a recount, garbage excluded) grows steadily run after run; named with its growth per run (once when it starts, again only after it stopped)",
	EvSignerChanged:    "a plugin changed signer with the admin's confirmation, or kv data left by another signer was kept (confirmed) or wiped; the old and new key ids are named",
}

// securityLog records security events: bounded in the store (critical
// events written through, the rest batched by the store), counted in
// heimnetz_security_events_total{type,severity}, and logged (secrets
// redacted) to the agent's log, which procd passes to syslog on OpenWrt.
type securityLog struct {
	db     *store.DB
	set    *metrics.Set
	log    *slog.Logger
	syslog *syslogSink // set on OpenWrt: events go to logd with their priority
}

// pluginCaused are the event types a plugin's own code can cause at will,
// run after run: its limit breaks, output caps, load errors and CPU
// throttling. At info or warning they go to the ring's noise share, with
// what strangers on the LAN cause (store/eventring.go): a plugin that hits
// every cap in every run (about five events a run) must not push admin
// actions and logins out of the audit trail. What the agent or the owner
// does about a plugin (disable, enable, install, an alert) stays in the
// audit trail, and so does anything a plugin causes at high or critical.
var pluginCaused = map[string]bool{EvLimitBreak: true, EvOutputLimit: true, EvPluginError: true, EvCPUThrottled: true}

func (s *securityLog) record(typ string, sev store.Severity, plugin, msg string) {
	s.store(typ, sev, plugin, msg, plugin != "" && pluginCaused[typ], 1)
}

// recordNoise records an event that anyone on the LAN can cause without
// logging in, standing for occurrences occurrences (a summary counts
// many): the counter adds them all, and the store keeps the event in the
// ring's noise share, where it can never evict an audit event
// (store/eventring.go).
func (s *securityLog) recordNoise(typ string, sev store.Severity, msg string, occurrences uint64) {
	s.store(typ, sev, "", msg, true, occurrences)
}

func (s *securityLog) store(typ string, sev store.Severity, plugin, msg string, noise bool, occurrences uint64) {
	typ, plugin, msg = s.announceN(typ, sev, plugin, msg, occurrences)
	if s.db == nil {
		return
	}
	ev := store.Event{Type: typ, Severity: sev, Plugin: plugin, Message: msg, Noise: noise}
	if _, err := s.db.AppendEvent(ev); err != nil {
		s.log.Error("security event not stored", "err", err)
	}
}

// announce counts and logs an event without storing it: for the notices
// the store put into its event ring itself while it opened, before the
// security log existed. It returns the type, plugin and message as
// recorded (an unknown type becomes bad_request; text bounded and
// redacted).
func (s *securityLog) announce(typ string, sev store.Severity, plugin, msg string) (string, string, string) {
	return s.announceN(typ, sev, plugin, msg, 1)
}

// announceN is announce for an event that stands for occurrences
// occurrences: heimnetz_security_events_total counts occurrences, not
// stored events, so a summary of 412 failed logins adds 412.
func (s *securityLog) announceN(typ string, sev store.Severity, plugin, msg string, occurrences uint64) (string, string, string) {
	if _, ok := EventTypes[typ]; !ok {
		typ = EvBadRequest
	}
	// Bounded and cleaned before it is formatted anywhere: a plugin's or a
	// client's text may be megabytes long or hold line breaks.
	msg = store.RedactLine(msg, store.MaxEventMessage)
	plugin = oneline.Clean(plugin, store.MaxNameLen)
	s.set.GetOrCreateCounter(fmt.Sprintf(`heimnetz_security_events_total{type=%q,severity=%q}`, typ, sev.String())).AddInt64(int64(occurrences))
	attrs := []any{"type", typ, "severity", sev.String()}
	if plugin != "" {
		attrs = append(attrs, "plugin", plugin)
	}
	if !s.toSyslog(typ, sev, plugin, msg) {
		s.log.Log(context.Background(), severityLevel(sev), msg, attrs...)
	}
	return typ, plugin, msg
}

// toSyslog writes the event to syslog when the agent runs on OpenWrt; it
// reports false when the event still has to go to the agent's log.
func (s *securityLog) toSyslog(typ string, sev store.Severity, plugin, msg string) bool {
	if s.syslog == nil {
		return false
	}
	line := fmt.Sprintf("security event type=%s severity=%s", typ, sev)
	if plugin != "" {
		line += " plugin=" + plugin
	}
	return s.syslog.event(sev, line+": "+msg) == nil
}
