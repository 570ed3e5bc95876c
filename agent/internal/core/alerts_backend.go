package core

import (
	"github.com/heimnetz/heimnetz/agent/internal/alerts"
	"github.com/heimnetz/heimnetz/web"
)

// Alerts implements web.Backend: the built-in alerts as last evaluated.
func (b *backend) Alerts() []web.AlertStatus { return webAlerts(b.m.Alerts()) }

// firingBanners are the overview's banners for the firing alerts, in the
// order of Alerts, but PluginDisabled: the plugin's own banner shows it
// (disabledBanner), with the reason its card leaves out.
func (b *backend) firingBanners() []web.Alert {
	var out []web.Alert
	for _, s := range b.m.FiringAlerts() {
		if s.Name == alerts.PluginDisabled {
			continue
		}
		source := s.Plugin
		if source == "" {
			source = "agent"
		}
		out = append(out, web.Alert{Name: s.Name, Severity: s.Severity, Source: source, Message: s.Summary, Since: s.Since})
	}
	return out
}

// disabledBanner is the banner of a plugin the agent disabled: the
// PluginDisabled alert once it fires, named and dated; before the first
// evaluation the same reason with the alert's severity.
func (b *backend) disabledBanner(plugin, reason string) web.Alert {
	a := web.Alert{Severity: web.SeverityWarning, Source: plugin, Message: reason}
	for _, s := range b.m.FiringAlerts() {
		if s.Name == alerts.PluginDisabled && s.Plugin == plugin {
			a.Name, a.Severity, a.Since = s.Name, s.Severity, s.Since
		}
	}
	return a
}
