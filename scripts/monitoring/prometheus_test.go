package monitoring

import (
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// promProc is a running Prometheus.
type promProc struct {
	base string
	logs *logBuffer
}

// startPrometheus runs Prometheus on loopback with its storage in dir,
// scraping the agent at target every second as job "heimnetz" and
// evaluating the rules file every second.
func startPrometheus(t *testing.T, bin, dir, target, rules string) *promProc {
	t.Helper()
	cfg := filepath.Join(dir, "prometheus.yml")
	conf := fmt.Sprintf(`global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
rule_files: [%q]
scrape_configs:
  - job_name: heimnetz
    static_configs:
      - targets: [%q]
`, rules, target)
	if err := os.WriteFile(cfg, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	addr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	cmd := exec.Command(bin, "--config.file="+cfg, "--storage.tsdb.path="+filepath.Join(dir, "tsdb"),
		"--web.listen-address="+addr, "--log.level=warn")
	p := &promProc{base: "http://" + addr, logs: startProcess(t, cmd)}
	if !poll(20*time.Second, func() bool { code, _, err := get(p.base + "/-/ready"); return err == nil && code == 200 }) {
		t.Fatalf("prometheus not ready within 20 s:\n%s", p.logs)
	}
	return p
}

// apiResponse is the envelope of Prometheus's HTTP API.
type apiResponse struct {
	Status    string          `json:"status"`
	Error     string          `json:"error"`
	ErrorType string          `json:"errorType"`
	Data      json.RawMessage `json:"data"`
}

// api GETs a Prometheus API path and decodes its data into v.
func (p *promProc) api(path string, v any) error {
	code, body, err := get(p.base + path)
	if err != nil {
		return err
	}
	var r apiResponse
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		return fmt.Errorf("%s: HTTP %d: %v: %.300s", path, code, err, body)
	}
	if r.Status != "success" {
		return fmt.Errorf("%s: %s: %s", path, r.ErrorType, r.Error)
	}
	return json.Unmarshal(r.Data, v)
}

// sample is one series of an instant query's result.
type sample struct {
	Metric map[string]string `json:"metric"`
	Value  [2]any            `json:"value"`
}

// has reports whether the series carries a label given as name="value".
func (s sample) has(label string) bool {
	name, value, _ := strings.Cut(label, "=")
	v, err := strconv.Unquote(value)
	return err == nil && s.Metric[name] == v
}

// value is the sample's value (NaN if it does not parse).
func (s sample) value() float64 {
	str, _ := s.Value[1].(string)
	v, err := strconv.ParseFloat(str, 64)
	if err != nil {
		return math.NaN()
	}
	return v
}

// query runs an instant query now and returns its series; a scalar
// result counts as one.
func (p *promProc) query(expr string) ([]sample, error) {
	var data struct {
		ResultType string          `json:"resultType"`
		Result     json.RawMessage `json:"result"`
	}
	if err := p.api("/api/v1/query?query="+url.QueryEscape(expr), &data); err != nil {
		return nil, err
	}
	switch data.ResultType {
	case "vector":
		var s []sample
		err := json.Unmarshal(data.Result, &s)
		return s, err
	case "scalar":
		var v [2]any
		err := json.Unmarshal(data.Result, &v)
		return []sample{{Value: v}}, err
	}
	return nil, fmt.Errorf("result type %q, want vector or scalar", data.ResultType)
}

// waitForScrapes waits until Prometheus holds n scrapes of the agent.
func (p *promProc) waitForScrapes(t *testing.T, target string, n int) {
	t.Helper()
	expr := fmt.Sprintf(`count_over_time(up{job="heimnetz",instance=%q}[1m]) >= %d and on () up{job="heimnetz",instance=%q} == 1`, target, n, target)
	if !poll(20*time.Second, func() bool { s, err := p.query(expr); return err == nil && len(s) == 1 }) {
		s, err := p.query(`count_over_time(up{job="heimnetz"}[1m])`)
		t.Fatalf("prometheus did not scrape the agent %d times within 20 s (%v, %v):\n%s", n, s, err, p.logs)
	}
}

// checkRules waits for the rules to be evaluated and requires each of
// the want rules to be healthy, with no evaluation error.
func (p *promProc) checkRules(t *testing.T, want int) {
	t.Helper()
	type ruleState struct {
		Name      string `json:"name"`
		Health    string `json:"health"`
		LastError string `json:"lastError"`
		LastEval  string `json:"lastEvaluation"`
		State     string `json:"state"`
	}
	var data struct {
		Groups []struct {
			Name  string      `json:"name"`
			Rules []ruleState `json:"rules"`
		} `json:"groups"`
	}
	var rules []ruleState
	evaluated := func() bool {
		rules = nil
		if err := p.api("/api/v1/rules", &data); err != nil {
			return false
		}
		for _, g := range data.Groups {
			rules = append(rules, g.Rules...)
		}
		for _, r := range rules {
			if r.Health == "unknown" || strings.HasPrefix(r.LastEval, "0001-") {
				return false
			}
		}
		return len(rules) > 0
	}
	if !poll(10*time.Second, evaluated) {
		t.Fatalf("rules not evaluated within 10 s: %+v\n%s", rules, p.logs)
	}
	if len(rules) != want {
		t.Errorf("prometheus loaded %d rules, want %d", len(rules), want)
	}
	for _, r := range rules {
		if r.Health != "ok" || r.LastError != "" {
			t.Errorf("rule %s: health %q, error %q", r.Name, r.Health, r.LastError)
		}
	}
	t.Logf("prometheus loaded %d rules, all evaluated with health ok", len(rules))
}

// checkInstanceVariable runs the instance variable's query
// (label_values(heimnetz_build_info, instance)) as Grafana does.
func (p *promProc) checkInstanceVariable(t *testing.T, target string) {
	t.Helper()
	var values []string
	if err := p.api("/api/v1/label/instance/values?match[]="+url.QueryEscape("heimnetz_build_info"), &values); err != nil {
		t.Fatal(err)
	}
	if len(values) != 1 || values[0] != target {
		t.Errorf("instance variable values %v, want [%s]", values, target)
	}
}

// version is the Prometheus build, for the log.
func (p *promProc) version(t *testing.T) string {
	var info struct {
		Version string `json:"version"`
	}
	if err := p.api("/api/v1/status/buildinfo", &info); err != nil {
		return "(unknown version)"
	}
	return info.Version
}
