package web

import (
	"strings"
	"testing"
	"time"
)

// sampleAlerts are what an agent with a full flash and a plugin it
// disabled lists, firing ones first.
func sampleAlerts(now time.Time) []AlertStatus {
	return []AlertStatus{
		{Name: "FlashNearlyFull", Severity: SeverityWarning, State: AlertFiring, Since: now.Add(-2 * time.Hour), Summary: "/overlay is 93% full (1.2 MiB available)", Value: 93},
		{Name: "PluginDisabled", Severity: SeverityWarning, State: AlertFiring, Since: now.Add(-5 * time.Minute), Summary: "plugin net was disabled by the agent: disabled after 3 limit breaks in a row", Labels: map[string]string{"plugin": "net"}},
		{Name: "WANDown", Severity: SeverityCritical, State: AlertResolved, Since: now.Add(-time.Hour), Summary: "no reply from 192.0.2.1 to the WAN probe", Value: 100},
		{Name: "ClockNotSynchronised", Severity: SeverityWarning, State: AlertInactive, Since: now.Add(-3 * time.Hour)},
	}
}

func TestAlertsAPI(t *testing.T) {
	e := newTestEnv(t)
	var empty struct {
		Alerts []AlertStatus `json:"alerts"`
	}
	r := e.get("/api/v1/alerts")
	r.json(t, &empty)
	if r.code != 200 || empty.Alerts == nil || len(empty.Alerts) != 0 || !strings.Contains(r.body, `"alerts":[]`) {
		t.Fatalf("no alerts: %d %s, want an empty list", r.code, r.body)
	}
	e.b.mu.Lock()
	e.b.alerts = sampleAlerts(e.b.now())
	e.b.mu.Unlock()
	var got struct {
		Alerts []AlertStatus `json:"alerts"`
	}
	r = e.get("/api/v1/alerts")
	r.json(t, &got)
	if len(got.Alerts) != 4 || got.Alerts[1].Name != "PluginDisabled" || got.Alerts[1].Labels["plugin"] != "net" ||
		got.Alerts[0].State != AlertFiring || got.Alerts[0].Value != 93 || got.Alerts[0].Since.IsZero() {
		t.Fatalf("alerts %+v", got.Alerts)
	}
	for _, c := range []struct {
		method, path string
		code         int
	}{
		{"POST", "/api/v1/alerts", 405},
		{"GET", "/api/v1/alerts?state=firing", 400},
		{"HEAD", "/api/v1/alerts", 200},
	} {
		if r := e.do(c.method, c.path, ""); r.code != c.code {
			t.Errorf("%s %s = %d, want %d", c.method, c.path, r.code, c.code)
		}
	}
}

func TestAlertsPage(t *testing.T) {
	e := newTestEnv(t)
	r := e.get("/alerts")
	if r.code != 200 || !strings.Contains(r.body, "Nothing is wrong that the agent checks for.") || !strings.Contains(r.body, "No alerts evaluated yet.") {
		t.Fatalf("/alerts without alerts = %d:\n%s", r.code, r.body)
	}
	e.b.mu.Lock()
	e.b.alerts = sampleAlerts(e.b.now())
	e.b.mu.Unlock()
	r = e.get("/alerts")
	for _, want := range []string{
		`<title>Alerts · heimnetz`,
		`<a href="/alerts" aria-current="page">Alerts <span class="count alarm">2</span></a>`,
		`<h1>Alerts <span class="muted small">2 firing</span></h1>`,
		`<div class="alert sev-warning"><b>FlashNearlyFull</b> /overlay is 93% full (1.2 MiB available) <span class="muted small">since 2` + unitSep + `h 0` + unitSep + `min ago</span></div>`,
		`<span class="badge state-resolved">resolved</span>`,
		`<td><code>WANDown</code></td><td><span class="badge sev-critical">critical</span></td><td></td><td class="msg">no reply from 192.0.2.1 to the WAN probe</td>`,
		`<td><a href="/plugins/net">net</a></td>`,
		`<span class="badge state-inactive">inactive</span>`,
	} {
		if !strings.Contains(r.body, want) {
			t.Errorf("/alerts lacks %q", want)
		}
	}
	if n := strings.Count(r.body, `<div class="alert `); n != 2 {
		t.Errorf("/alerts has %d banners, want the 2 firing alerts", n)
	}
	// Every other page's nav shows the count too.
	if r := e.get("/events"); !strings.Contains(r.body, `<a href="/alerts">Alerts <span class="count alarm">2</span></a>`) {
		t.Errorf("/events nav lacks the firing count")
	}
}

// TestOverviewNamesFiringAlerts: a banner that is a built-in alert links
// to the Alerts page with the alert's name.
func TestOverviewNamesFiringAlerts(t *testing.T) {
	e := newTestEnv(t)
	e.b.mu.Lock()
	e.b.overviewAlerts = []Alert{{Name: "WANDown", Severity: SeverityCritical, Source: "agent", Message: "no default route: the uplink is down or not configured", Since: e.b.now().Add(-time.Minute)}}
	e.b.mu.Unlock()
	r := e.get("/")
	want := `<div class="alert sev-critical"><b>agent</b> <a href="/alerts"><code>WANDown</code></a> no default route: the uplink is down or not configured <span class="muted small">since 1` + unitSep + `min ago</span></div>`
	if !strings.Contains(r.body, want) {
		t.Errorf("overview lacks %q", want)
	}
}
