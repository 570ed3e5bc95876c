package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"
)

// The plugin API's shapes exactly as web/API.md documents them, written
// here rather than taken from package web: a field the server adds,
// renames or drops without the document fails decodeDocumented.

// apiPluginList is GET /api/v1/plugins.
type apiPluginList struct {
	Plugins []apiPluginSummary `json:"plugins"`
}

// apiPluginSummary is API.md's PluginSummary.
type apiPluginSummary struct {
	Name                string    `json:"name"`
	Version             string    `json:"version"`
	Description         string    `json:"description"`
	State               string    `json:"state"`
	Enabled             bool      `json:"enabled"`
	DisabledReason      string    `json:"disabled_reason"`
	LastRun             time.Time `json:"last_run"`
	LastDurationSeconds float64   `json:"last_duration_seconds"`
	Runs                uint64    `json:"runs"`
	Errors              uint64    `json:"errors"`
	LastError           string    `json:"last_error"`
	IntervalSeconds     float64   `json:"interval_seconds"`
	MemoryBytes         uint64    `json:"memory_bytes"`
	CPUSeconds          float64   `json:"cpu_seconds"`
	KVKeys              int       `json:"kv_keys"`
	KVBytes             int64     `json:"kv_bytes"`
	Series              int       `json:"series"`
}

// summaryKeys are the PluginSummary keys always present; API.md says
// disabled_reason, last_run and last_error are left out when empty.
var summaryKeys = []string{"name", "version", "description", "state", "enabled", "last_duration_seconds",
	"runs", "errors", "interval_seconds", "memory_bytes", "cpu_seconds", "kv_keys", "kv_bytes", "series"}

// summaryOptional are the PluginSummary keys left out when empty.
var summaryOptional = []string{"disabled_reason", "last_run", "last_error"}

// apiPluginDetail is GET /api/v1/plugins/{name}.
type apiPluginDetail struct {
	apiPluginSummary
	Permissions []string `json:"permissions"`
	Limits      []struct {
		Name string  `json:"name"`
		Max  float64 `json:"max"`
		Used float64 `json:"used"`
		Unit string  `json:"unit"`
	} `json:"limits"`
	RecentRuns []struct {
		Time            time.Time `json:"time"`
		DurationSeconds float64   `json:"duration_seconds"`
		Instructions    uint64    `json:"instructions"`
		MemoryBytes     uint64    `json:"memory_bytes"`
		Error           string    `json:"error"`
	} `json:"recent_runs"`
	Logs []struct {
		Time    time.Time `json:"time"`
		Level   string    `json:"level"`
		Message string    `json:"message"`
	} `json:"logs"`
	Metrics []struct {
		Name   string        `json:"name"`
		Type   string        `json:"type"`
		Labels []apiKeyValue `json:"labels"`
		Value  float64       `json:"value"`
	} `json:"metrics"`
	Docs    string        `json:"docs"`
	Source  string        `json:"source"`
	Extra   []apiKeyValue `json:"extra"`
	History struct {
		CPUPercent  []float64 `json:"cpu_percent"`
		MemoryBytes []float64 `json:"memory_bytes"`
	} `json:"history"`
	Memory struct {
		LiveBytes         uint64    `json:"live_bytes"`
		PeakBytes         uint64    `json:"peak_bytes"`
		Leaking           bool      `json:"leaking"`
		GrowthBytesPerRun float64   `json:"growth_bytes_per_run"`
		GrowthRuns        int       `json:"growth_runs"`
		LeakingSince      time.Time `json:"leaking_since"`
	} `json:"memory"`
}

// detailKeys are the keys a plugin's detail adds to its summary.
var detailKeys = []string{"permissions", "limits", "recent_runs", "logs", "metrics", "docs", "source", "extra", "history", "memory"}

// apiKeyValue is API.md's {"key": …, "value": …}.
type apiKeyValue struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// decodeDocumented decodes body into v refusing unknown fields, and
// checks that the object has every key in required and no key outside
// required and optional.
func decodeDocumented(t *testing.T, what string, body []byte, v any, required, optional []string) {
	t.Helper()
	if err := documentedShape(body, v, required, optional); err != nil {
		t.Fatalf("%s is not the shape web/API.md documents: %v\n%.600s", what, err, body)
	}
}

// documentedShape is decodeDocumented's check as an error.
func documentedShape(body []byte, v any, required, optional []string) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	return keySet(body, required, optional)
}

// checkKeys fails unless the JSON object body has every key in required
// and no other key than those and optional ones.
func checkKeys(t *testing.T, what string, body []byte, required, optional []string) {
	t.Helper()
	if err := keySet(body, required, optional); err != nil {
		t.Errorf("%s: %v", what, err)
	}
}

// keySet is checkKeys's check as an error.
func keySet(body []byte, required, optional []string) error {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(body, &obj); err != nil {
		return fmt.Errorf("not a JSON object: %w", err)
	}
	for _, k := range required {
		if _, ok := obj[k]; !ok {
			return fmt.Errorf("lacks the documented key %q (keys: %v)", k, slices.Sorted(maps.Keys(obj)))
		}
	}
	for _, k := range slices.Sorted(maps.Keys(obj)) {
		if !slices.Contains(required, k) && !slices.Contains(optional, k) {
			return fmt.Errorf("has the undocumented key %q", k)
		}
	}
	return nil
}

// TestDocumentedShapeRefuses: the shape check fails for an added, a
// renamed and a dropped field, and passes the documented example.
func TestDocumentedShapeRefuses(t *testing.T) {
	const doc = `"name": "net", "version": "1.0.0", "description": "d", "state": "running", "enabled": true,
 "last_duration_seconds": 0.00042, "runs": 240, "errors": 0, "interval_seconds": 15,
 "memory_bytes": 184320, "cpu_seconds": 0.8, "kv_keys": 1, "kv_bytes": 7, "series": 3`
	for _, c := range []struct {
		name, body string
		ok         bool
	}{
		{"documented", "{" + doc + "}", true},
		{"documented with the optional keys", "{" + doc + `, "last_error": "x", "disabled_reason": "y", "last_run": "2026-01-02T03:04:05Z"}`, true},
		{"an undocumented field", "{" + doc + `, "colour": "red"}`, false},
		{"a renamed field", "{" + strings.Replace(doc, `"kv_keys"`, `"kvKeys"`, 1) + "}", false},
		{"a dropped field", "{" + strings.Replace(doc, `"series": 3`, `"errors": 0`, 1) + "}", false},
		{"a documented key twice, one undocumented", "{" + doc + `, "Series": 4}`, false},
	} {
		var s apiPluginSummary
		err := documentedShape([]byte(c.body), &s, summaryKeys, summaryOptional)
		if (err == nil) != c.ok {
			t.Errorf("%s: %v, want ok=%v", c.name, err, c.ok)
		}
	}
}

// checkPluginList decodes GET /api/v1/plugins and checks every summary's
// keys.
func checkPluginList(t *testing.T, body []byte) apiPluginList {
	t.Helper()
	var list apiPluginList
	decodeDocumented(t, "/api/v1/plugins", body, &list, []string{"plugins"}, nil)
	var raw struct {
		Plugins []json.RawMessage `json:"plugins"`
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		t.Fatal(err)
	}
	for i, p := range raw.Plugins {
		checkKeys(t, "/api/v1/plugins summary "+list.Plugins[i].Name, p, summaryKeys, summaryOptional)
	}
	return list
}

// checkPluginDetail decodes GET /api/v1/plugins/{name}.
func checkPluginDetail(t *testing.T, name string, body []byte) apiPluginDetail {
	t.Helper()
	var d apiPluginDetail
	decodeDocumented(t, "/api/v1/plugins/"+name, body, &d, append(slices.Clone(summaryKeys), detailKeys...), summaryOptional)
	return d
}
