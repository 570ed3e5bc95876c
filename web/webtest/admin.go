package webtest

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/heimnetz/heimnetz/web"
)

// AdminCase is one admin API request, run after the cases before it, and
// what must follow from it. "{plugin}" in Path stands for the plugin the
// run is given.
type AdminCase struct {
	// Name says what the case checks.
	Name string
	// Method, Path and Body make the request.
	Method, Path, Body string
	// Anonymous sends the request without the admin token.
	Anonymous bool
	// Code is the status the API must answer with.
	Code int
	// Error is a part of the JSON error the API must answer with.
	Error string
	// Enabled is whether the plugin must be enabled afterwards.
	Enabled bool
}

// AdminCases returns the admin API's cases, in the order they run; the
// plugin starts enabled.
func AdminCases() []AdminCase {
	return []AdminCase{
		{Name: "disable without credentials", Method: "POST", Path: "/api/v1/plugins/{plugin}/disable", Anonymous: true, Code: 401, Enabled: true},
		{Name: "disable", Method: "POST", Path: "/api/v1/plugins/{plugin}/disable", Code: 200},
		{Name: "disable again", Method: "POST", Path: "/api/v1/plugins/{plugin}/disable", Code: 200},
		{Name: "reload keeps it disabled", Method: "POST", Path: "/api/v1/plugins/{plugin}/reload", Code: 200},
		{Name: "enable without credentials", Method: "POST", Path: "/api/v1/plugins/{plugin}/enable", Anonymous: true, Code: 401},
		{Name: "enable", Method: "POST", Path: "/api/v1/plugins/{plugin}/enable", Code: 200, Enabled: true},
		{Name: "reload", Method: "POST", Path: "/api/v1/plugins/{plugin}/reload", Code: 200, Enabled: true},
		{Name: "clear its data", Method: "POST", Path: "/api/v1/plugins/{plugin}/clear", Code: 200, Enabled: true},
		{Name: "enable an unknown plugin", Method: "POST", Path: "/api/v1/plugins/nosuch/enable", Code: 404, Error: "not found", Enabled: true},
		{Name: "disable an unknown plugin", Method: "POST", Path: "/api/v1/plugins/nosuch/disable", Code: 404, Error: "not found", Enabled: true},
		{Name: "reload an unknown plugin", Method: "POST", Path: "/api/v1/plugins/nosuch/reload", Code: 404, Error: "not found", Enabled: true},
		{Name: "clear an unknown plugin", Method: "POST", Path: "/api/v1/plugins/nosuch/clear", Code: 404, Error: "not found", Enabled: true},
		{Name: "remove an unknown plugin", Method: "POST", Path: "/api/v1/plugins/nosuch/remove", Code: 404, Error: "not found", Enabled: true},
		{Name: "an unknown plugin's state", Method: "GET", Path: "/api/v1/plugins/nosuch", Code: 404, Error: "not found", Enabled: true},
		{Name: "ack an unknown event", Method: "POST", Path: "/api/v1/events/ack", Body: `{"seqs":[999999]}`, Code: 404, Error: "999999", Enabled: true},
		{Name: "ack nothing", Method: "POST", Path: "/api/v1/events/ack", Body: `{"seqs":[]}`, Code: 400, Error: "seqs", Enabled: true},
		{Name: "enable by GET", Method: "GET", Path: "/api/v1/plugins/{plugin}/enable", Code: 405, Enabled: true},
	}
}

// RunAdmin runs AdminCases through a web server in front of b (as
// RunSettings does) against plugin, a plugin b has enabled. After each
// case it checks GET /api/v1/plugins/{plugin}: enabled as the case says,
// and state "disabled" exactly when it is not.
func RunAdmin(t *testing.T, b web.Backend, plugin string) {
	t.Helper()
	c := serve(t, b)
	for _, ac := range AdminCases() {
		path := strings.ReplaceAll(ac.Path, "{plugin}", plugin)
		code, body := c.do(ac.Method, path, ac.Body, !ac.Anonymous)
		if code != ac.Code || (ac.Error != "" && !bytes.Contains(body, []byte(ac.Error))) {
			t.Errorf("%s: %s %s = %d %s, want %d %q", ac.Name, ac.Method, path, code, body, ac.Code, ac.Error)
		}
		if code == 200 && ac.Method == "POST" && string(bytes.TrimSpace(body)) != `{"ok":true}` {
			t.Errorf("%s: %s %s answered %s, want {\"ok\":true}", ac.Name, ac.Method, path, body)
		}
		code, body = c.do("GET", "/api/v1/plugins/"+plugin, "", true)
		var got web.PluginDetail
		if err := json.Unmarshal(body, &got); code != 200 || err != nil {
			t.Fatalf("%s: GET the plugin = %d %s (%v)", ac.Name, code, body, err)
		}
		if got.Enabled != ac.Enabled || (got.State == web.StateDisabled) == ac.Enabled {
			t.Errorf("%s: the plugin is enabled=%v state=%q, want enabled=%v", ac.Name, got.Enabled, got.State, ac.Enabled)
		}
	}
}
