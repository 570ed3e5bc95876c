package monitoring

import (
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

const (
	rulesFile     = "heimnetz.rules.yml"
	rulesTestFile = "heimnetz.rules.test.yml"
)

// ruleFile is the part of a Prometheus rule file these tests read.
type ruleFile struct {
	Groups []struct {
		Name  string `yaml:"name"`
		Rules []rule `yaml:"rules"`
	} `yaml:"groups"`
}

type rule struct {
	Alert       string            `yaml:"alert"`
	Expr        string            `yaml:"expr"`
	For         string            `yaml:"for"`
	Labels      map[string]string `yaml:"labels"`
	Annotations map[string]string `yaml:"annotations"`
}

// wantAlerts are the rules the README and the issue promise, by name.
var wantAlerts = []string{
	"HeimnetzAgentDown", "HeimnetzPluginDisabled", "HeimnetzPluginLimitBreaks",
	"HeimnetzPluginMemoryLeak", "HeimnetzAgentMemoryHigh", "HeimnetzStoreWriteFailing",
	"HeimnetzFlashNearlyFull", "HeimnetzWANDown", "HeimnetzWANLossy",
	"HeimnetzScrapeSlow", "HeimnetzAgentAlert",
}

// readRules parses heimnetz.rules.yml.
func readRules(t *testing.T) []rule {
	t.Helper()
	data, err := os.ReadFile(rulesFile)
	if err != nil {
		t.Fatal(err)
	}
	var f ruleFile
	if err := yaml.Unmarshal(data, &f); err != nil {
		t.Fatalf("%s: %v", rulesFile, err)
	}
	var rules []rule
	for _, g := range f.Groups {
		rules = append(rules, g.Rules...)
	}
	return rules
}

// TestRulesShape: every promised alert is there, and each has a for:, a
// severity and both annotations an Alertmanager message is built from.
func TestRulesShape(t *testing.T) {
	rules := readRules(t)
	var names []string
	for _, r := range rules {
		names = append(names, r.Alert)
		if r.Alert == "" {
			t.Errorf("rule %q is not an alerting rule", r.Expr)
			continue
		}
		if !strings.HasPrefix(r.Alert, "Heimnetz") {
			t.Errorf("%s: alert names start with Heimnetz (so they do not clash with other exporters' rules)", r.Alert)
		}
		if r.For == "" {
			t.Errorf("%s: no for:", r.Alert)
		}
		switch sev := r.Labels["severity"]; sev {
		case "warning", "critical", "{{ $labels.severity }}":
		default:
			t.Errorf("%s: severity %q, want warning or critical", r.Alert, sev)
		}
		for _, a := range []string{"summary", "description"} {
			if strings.TrimSpace(r.Annotations[a]) == "" {
				t.Errorf("%s: no %s annotation", r.Alert, a)
			}
		}
	}
	for _, want := range wantAlerts {
		if !slices.Contains(names, want) {
			t.Errorf("%s lacks alert %s", rulesFile, want)
		}
	}
	if len(names) != len(wantAlerts) {
		t.Errorf("%s has %d alerts %v, want the %d of wantAlerts (add a new one there and to the README)", rulesFile, len(names), names, len(wantAlerts))
	}
}

// TestRulesCheck runs `promtool check rules` (syntax, PromQL, templates).
func TestRulesCheck(t *testing.T) {
	promtool := requireTool(t, "promtool")
	out, err := exec.Command(promtool, "check", "rules", rulesFile).CombinedOutput()
	if err != nil {
		t.Fatalf("promtool check rules: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`SUCCESS: (\d+) rules found`).FindSubmatch(out)
	if want := strconv.Itoa(len(readRules(t))); m == nil || string(m[1]) != want {
		t.Fatalf("promtool check rules: want %s rules found:\n%s", want, out)
	}
	t.Logf("promtool check rules: %s rules", m[1])
}

// TestRulesUnit runs heimnetz.rules.test.yml: for every rule, a case
// where it fires (labels and annotations compared in full) and cases
// where it must not.
func TestRulesUnit(t *testing.T) {
	promtool := requireTool(t, "promtool")
	out, err := exec.Command(promtool, "test", "rules", rulesTestFile).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "SUCCESS") {
		t.Fatalf("promtool test rules: %v\n%s", err, out)
	}
	tested := testedAlerts(t)
	for _, want := range wantAlerts {
		if tested[want] < 2 {
			t.Errorf("%s: %s has %d evaluations, want one where it fires and one where it does not", rulesTestFile, want, tested[want])
		}
	}
}

// testedAlerts counts the alert_rule_test evaluations per alert name in
// heimnetz.rules.test.yml, each with at least one firing and one silent.
func testedAlerts(t *testing.T) map[string]int {
	t.Helper()
	data, err := os.ReadFile(rulesTestFile)
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Tests []struct {
			Name  string `yaml:"name"`
			Evals []struct {
				Alert string `yaml:"alertname"`
				Exp   []any  `yaml:"exp_alerts"`
			} `yaml:"alert_rule_test"`
		} `yaml:"tests"`
	}
	if err := yaml.Unmarshal(data, &f); err != nil {
		t.Fatalf("%s: %v", rulesTestFile, err)
	}
	firing, silent := map[string]bool{}, map[string]bool{}
	count := map[string]int{}
	for _, tc := range f.Tests {
		for _, e := range tc.Evals {
			count[e.Alert]++
			if len(e.Exp) > 0 {
				firing[e.Alert] = true
			} else {
				silent[e.Alert] = true
			}
		}
	}
	for name := range count {
		if !firing[name] || !silent[name] {
			t.Errorf("%s: %s lacks a case where it fires (%v) or one where it does not (%v)", rulesTestFile, name, firing[name], silent[name])
		}
	}
	return count
}
