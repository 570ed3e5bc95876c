package web_test

import (
	"testing"

	"github.com/heimnetz/heimnetz/web"
	"github.com/heimnetz/heimnetz/web/webtest"
)

// TestSettingsCases runs the settings API table against web's fake
// backend; agent/internal/core runs it against the real one.
func TestSettingsCases(t *testing.T) {
	webtest.RunSettings(t, web.NewFakeBackend())
}

// TestAdminCases runs the admin API table against web's fake backend;
// agent/internal/core runs it against the real one.
func TestAdminCases(t *testing.T) {
	webtest.RunAdmin(t, web.NewFakeBackend(), "net")
}

// TestAlertCases runs the alerts API checks against web's fake backend
// with sample alerts; agent/internal/core runs them against the real one.
func TestAlertCases(t *testing.T) {
	webtest.RunAlerts(t, web.NewFakeBackendWithAlerts())
}
