package check

import (
	"bytes"
	"encoding/json"
	"testing"
)

// TestSARIFStructure checks the SARIF 2.1.0 output for what the schema
// requires of the parts heimnetz writes: version and $schema, a tool
// driver with a name and rules with ids, and results whose ruleId,
// level, message text and physical location (artifact URI, 1-based
// region) are all present and consistent with the rules.
func TestSARIFStructure(t *testing.T) {
	r, err := Path("testdata/evil", Options{TestGlobals: testGlobals})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteReport(&b, r, FormatSARIF, "1.2.3"); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc["version"] != "2.1.0" || doc["$schema"] != SARIFSchema {
		t.Fatalf("version %v schema %v", doc["version"], doc["$schema"])
	}
	runs := doc["runs"].([]any)
	if len(runs) != 1 {
		t.Fatalf("%d runs", len(runs))
	}
	run := runs[0].(map[string]any)
	driver := run["tool"].(map[string]any)["driver"].(map[string]any)
	if driver["name"] != "heimnetz plugin check" || driver["version"] != "1.2.3" {
		t.Errorf("driver %v", driver)
	}
	ruleIDs := map[string]int{}
	for i, x := range driver["rules"].([]any) {
		rule := x.(map[string]any)
		id, _ := rule["id"].(string)
		if id == "" || rule["shortDescription"].(map[string]any)["text"] == "" {
			t.Errorf("rule %d without id or description: %v", i, rule)
		}
		ruleIDs[id] = i
	}
	if len(ruleIDs) != len(Rules()) {
		t.Errorf("%d rules in SARIF, %d known", len(ruleIDs), len(Rules()))
	}
	results := run["results"].([]any)
	if len(results) != len(r.Findings) {
		t.Fatalf("%d results for %d findings", len(results), len(r.Findings))
	}
	levels := map[string]bool{"none": true, "note": true, "warning": true, "error": true}
	for i, x := range results {
		res := x.(map[string]any)
		id := res["ruleId"].(string)
		idx, ok := ruleIDs[id]
		if !ok || int(res["ruleIndex"].(float64)) != idx {
			t.Errorf("result %d: ruleId %s ruleIndex %v", i, id, res["ruleIndex"])
		}
		if !levels[res["level"].(string)] || res["message"].(map[string]any)["text"] == "" {
			t.Errorf("result %d: level %v message %v", i, res["level"], res["message"])
		}
		loc := res["locations"].([]any)[0].(map[string]any)["physicalLocation"].(map[string]any)
		uri := loc["artifactLocation"].(map[string]any)["uri"].(string)
		region := loc["region"].(map[string]any)
		if uri != r.Findings[i].File || region["startLine"].(float64) < 1 || region["startColumn"].(float64) < 1 {
			t.Errorf("result %d: uri %q region %v", i, uri, region)
		}
	}
	// The first finding of the evil plugin is on manifest.yml line 4; the
	// io use is main.lua:1:11 and an error.
	first := results[2].(map[string]any)
	if first["ruleId"] != RuleRemovedGlobal || first["level"] != "error" {
		t.Errorf("third result %v", first)
	}
}
