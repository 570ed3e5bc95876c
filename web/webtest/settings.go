package webtest

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/heimnetz/heimnetz/web"
)

// SettingsCase is one PUT /api/v1/settings request, run after the cases
// before it, and what must follow from it.
type SettingsCase struct {
	// Name says what the case checks.
	Name string
	// Body is the request body.
	Body string
	// Code is the status the API must answer with.
	Code int
	// Error is a part of the JSON error the API must answer with; empty
	// for a case that must succeed.
	Error string
	// Change is what the request does to the settings it finds; nil for a
	// rejected request, which must change nothing.
	Change func(*web.Settings)
}

// SettingsCases returns the settings API's cases, in the order they run.
func SettingsCases() []SettingsCase {
	return []SettingsCase{
		{Name: "two settings", Body: `{"log_level":"debug","event_retention":5000}`, Code: 200,
			Change: func(s *web.Settings) { s.LogLevel, s.EventRetention = "debug", 5000 }},
		{Name: "config names", Body: `{"pages_require_login":true,"breaks_before_disable":7}`, Code: 200,
			Change: func(s *web.Settings) { s.PagesRequireLogin, s.BreaksBeforeDisable = true, 7 }},
		{Name: "old API names, accepted for one release", Body: `{"require_login_for_pages":false,"max_consecutive_failures":4}`, Code: 200,
			Change: func(s *web.Settings) { s.PagesRequireLogin, s.BreaksBeforeDisable = false, 4 }},
		{Name: "lowest values", Body: `{"breaks_before_disable":0,"event_retention":10}`, Code: 200,
			Change: func(s *web.Settings) { s.BreaksBeforeDisable, s.EventRetention = 0, 10 }},
		{Name: "highest values", Body: `{"breaks_before_disable":1000,"event_retention":100000,"log_level":"error"}`, Code: 200,
			Change: func(s *web.Settings) { s.BreaksBeforeDisable, s.EventRetention, s.LogLevel = 1000, 100000, "error" }},
		{Name: "every setting", Body: `{"pages_require_login":false,"log_level":"info","breaks_before_disable":3,"event_retention":1000}`, Code: 200,
			Change: func(s *web.Settings) {
				*s = web.Settings{LogLevel: "info", BreaksBeforeDisable: 3, EventRetention: 1000}
			}},
		{Name: "old and new name of one setting", Body: `{"breaks_before_disable":2,"max_consecutive_failures":2}`, Code: 400, Error: "not both"},
		{Name: "unknown log level", Body: `{"log_level":"loud"}`, Code: 400, Error: "log_level must be"},
		{Name: "log level in capitals", Body: `{"log_level":"INFO"}`, Code: 400, Error: "log_level must be"},
		{Name: "breaks below range", Body: `{"breaks_before_disable":-1}`, Code: 400, Error: "breaks_before_disable must be in 0..1000"},
		{Name: "breaks above range", Body: `{"breaks_before_disable":1001}`, Code: 400, Error: "breaks_before_disable must be in 0..1000"},
		{Name: "old breaks name above range", Body: `{"max_consecutive_failures":1001}`, Code: 400, Error: "breaks_before_disable must be in 0..1000"},
		{Name: "retention below range", Body: `{"event_retention":9}`, Code: 400, Error: "event_retention must be in 10..100000"},
		{Name: "retention above range", Body: `{"event_retention":100001}`, Code: 400, Error: "event_retention must be in 10..100000"},
		{Name: "one bad value among good ones", Body: `{"log_level":"warn","event_retention":0}`, Code: 400, Error: "event_retention must be in"},
		{Name: "unknown field", Body: `{"unknown":1}`, Code: 400, Error: "unknown field"},
		{Name: "wrong type", Body: `{"event_retention":"5"}`, Code: 400, Error: "invalid JSON"},
	}
}

// RunSettings runs SettingsCases through a web server in front of b, with
// an admin token, over a listener on 127.0.0.1 that it closes at the end.
// After each case it checks that GET /api/v1/settings (decoded strictly,
// so its names are exactly the settings' names) and b.Settings() hold
// what the cases so far made of the settings b started with.
func RunSettings(t *testing.T, b web.Backend) {
	t.Helper()
	c := serve(t, b)
	want := b.Settings()
	for _, sc := range SettingsCases() {
		code, body := c.do("PUT", "/api/v1/settings", sc.Body, true)
		if code != sc.Code || (sc.Error != "" && !bytes.Contains(body, []byte(sc.Error))) {
			t.Errorf("%s: PUT %s = %d %s, want %d %q", sc.Name, sc.Body, code, body, sc.Code, sc.Error)
		}
		if sc.Change != nil {
			sc.Change(&want)
		}
		code, body = c.do("GET", "/api/v1/settings", "", true)
		var got web.Settings
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&got); code != 200 || err != nil {
			t.Fatalf("%s: GET = %d %s (%v)", sc.Name, code, body, err)
		}
		if got != want {
			t.Errorf("%s: GET after PUT %s = %+v, want %+v", sc.Name, sc.Body, got, want)
		}
		if got := b.Settings(); got != want {
			t.Errorf("%s: backend's settings after PUT %s = %+v, want %+v", sc.Name, sc.Body, got, want)
		}
	}
}
