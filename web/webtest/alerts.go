package webtest

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/heimnetz/heimnetz/web"
)

// alertNames are the agent's built-in alerts, as web/API.md lists them.
var alertNames = []string{
	"PluginDisabled", "PluginLimitBreaks", "PluginMemoryLeak", "AgentMemoryHigh",
	"StoreWriteFailing", "FlashNearlyFull", "WANDown", "WANLossy", "ClockNotSynchronised",
}

// documentedAlert is one entry of GET /api/v1/alerts exactly as API.md
// documents it: a field the server adds, renames or drops fails the
// strict decoding.
type documentedAlert struct {
	Name     string            `json:"name"`
	Severity string            `json:"severity"`
	State    string            `json:"state"`
	Since    time.Time         `json:"since"`
	Summary  string            `json:"summary"`
	Labels   map[string]string `json:"labels"`
	Value    float64           `json:"value"`
}

// RunAlerts checks GET /api/v1/alerts and the Alerts page of a web server
// in front of b against API.md: the documented fields only, known names,
// severities and states, summaries where the alert holds or held, the
// plugin label only, the documented order, the same list as b.Alerts(), a
// page naming each alert, 405 to a POST and 400 to an argument. b must
// have at least one firing alert.
func RunAlerts(t *testing.T, b web.Backend) {
	t.Helper()
	c := serve(t, b)
	code, body := c.do("GET", "/api/v1/alerts", "", false)
	if code != 200 {
		t.Fatalf("GET /api/v1/alerts = %d: %s", code, body)
	}
	var got struct {
		Alerts []documentedAlert `json:"alerts"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil {
		t.Fatalf("GET /api/v1/alerts is not as API.md documents it: %v\n%s", err, body)
	}
	rank := map[string]int{web.AlertFiring: 0, web.AlertPending: 1, web.AlertResolved: 2, web.AlertInactive: 3}
	firing := 0
	for i, a := range got.Alerts {
		r, known := rank[a.State]
		switch {
		case !slices.Contains(alertNames, a.Name):
			t.Errorf("alert %d: unknown name %q", i, a.Name)
		case a.Severity != web.SeverityWarning && a.Severity != web.SeverityCritical:
			t.Errorf("%s: severity %q", a.Name, a.Severity)
		case !known:
			t.Errorf("%s: state %q", a.Name, a.State)
		case a.Since.IsZero():
			t.Errorf("%s: no since", a.Name)
		case a.State != web.AlertInactive && a.Summary == "":
			t.Errorf("%s is %s without a summary", a.Name, a.State)
		case len(a.Labels) > 1 || len(a.Labels) == 1 && a.Labels["plugin"] == "":
			t.Errorf("%s: labels %v, want plugin only", a.Name, a.Labels)
		case i > 0 && r < rank[got.Alerts[i-1].State]:
			t.Errorf("%s (%s) listed after %s (%s)", a.Name, a.State, got.Alerts[i-1].Name, got.Alerts[i-1].State)
		}
		if a.State == web.AlertFiring {
			firing++
		}
	}
	if firing == 0 {
		t.Errorf("no firing alert in %s", body)
	}
	direct, _ := json.Marshal(struct {
		Alerts []web.AlertStatus `json:"alerts"`
	}{b.Alerts()})
	if !bytes.Equal(bytes.TrimSpace(body), direct) {
		t.Errorf("the API's list differs from the backend's:\n%s\n%s", body, direct)
	}
	code, page := c.do("GET", "/alerts", "", false)
	if code != 200 {
		t.Fatalf("GET /alerts = %d", code)
	}
	for _, a := range got.Alerts {
		if !strings.Contains(string(page), "<code>"+a.Name+"</code>") {
			t.Errorf("the Alerts page does not list %s", a.Name)
		}
	}
	if code, _ := c.do("POST", "/api/v1/alerts", "", true); code != 405 {
		t.Errorf("POST /api/v1/alerts = %d, want 405", code)
	}
	if code, _ := c.do("GET", "/api/v1/alerts?state=firing", "", false); code != 400 {
		t.Errorf("GET /api/v1/alerts?state=firing = %d, want 400", code)
	}
}
