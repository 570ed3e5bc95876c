package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// store is one of the two time-series databases the fleet reports to.
type store struct {
	name string // "victoria-metrics" or "prometheus"
	base string // http://127.0.0.1:PORT
	proc *process
	// ingestMetric is the store's own counter of samples written.
	ingestMetric string
}

// startVictoriaMetrics runs a single-node VictoriaMetrics on a free
// loopback port (from freePorts) with its data under dir. latencyOffset 1s lets queries
// see samples seconds old (its default hides the last 30 s).
func startVictoriaMetrics(ps *processes, dir string, port int) (*store, error) {
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	p, err := ps.start("victoria-metrics", filepath.Join(dir, "victoria-metrics.log"), "victoria-metrics",
		"-httpListenAddr", fmt.Sprintf("127.0.0.1:%d", port),
		"-storageDataPath", filepath.Join(dir, "victoria-metrics"),
		"-retentionPeriod", "1d",
		"-search.latencyOffset", "1s",
		"-search.disableCache",
		"-loggerLevel", "WARN")
	if err != nil {
		return nil, err
	}
	if err := waitReady(p, base+"/health", 30*time.Second); err != nil {
		return nil, err
	}
	return &store{name: "victoria-metrics", base: base, proc: p, ingestMetric: "vm_rows_inserted_total"}, nil
}

// startPrometheus runs Prometheus on a free loopback port (from
// freePorts), scraping the
// targets in dir/targets.json (file_sd, written by writeTargets) every
// interval.
func startPrometheus(ps *processes, dir string, interval time.Duration, port int) (*store, error) {
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	// One job, its targets from a file Prometheus rereads when it
	// changes; the scrape timeout is the interval's, Prometheus' default
	// cap (10 s) aside.
	cfg := fmt.Sprintf(`global:
  scrape_interval: %[1]s
  scrape_timeout: %[2]s
scrape_configs:
  - job_name: heimnetz
    file_sd_configs:
      - files: [%[3]q]
        refresh_interval: 5s
`, interval, min(interval, 10*time.Second), filepath.Join(dir, "targets.json"))
	cfgPath := filepath.Join(dir, "prometheus.yml")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o644); err != nil {
		return nil, err
	}
	p, err := ps.start("prometheus", filepath.Join(dir, "prometheus.log"), "prometheus",
		"--config.file="+cfgPath,
		"--storage.tsdb.path="+filepath.Join(dir, "prometheus"),
		"--storage.tsdb.retention.time=1d",
		"--web.listen-address="+fmt.Sprintf("127.0.0.1:%d", port),
		"--log.level=warn")
	if err != nil {
		return nil, err
	}
	if err := waitReady(p, base+"/-/ready", 60*time.Second); err != nil {
		return nil, err
	}
	return &store{name: "prometheus", base: base, proc: p, ingestMetric: "prometheus_tsdb_head_samples_appended_total"}, nil
}

// fileSDGroup is one entry of a Prometheus file_sd target list.
type fileSDGroup struct {
	Targets []string          `json:"targets"`
	Labels  map[string]string `json:"labels"`
}

// writeTargets writes the agents as Prometheus file_sd targets, each
// with the labels it pushes with, so both stores name it alike.
func writeTargets(dir string, agents []*agent) error {
	groups := make([]fileSDGroup, len(agents))
	for i, a := range agents {
		groups[i] = fileSDGroup{Targets: []string{a.addr}, Labels: a.labels()}
	}
	data, err := json.MarshalIndent(groups, "", "  ")
	if err != nil {
		return err
	}
	tmp := filepath.Join(dir, "targets.json.tmp")
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(dir, "targets.json"))
}

// ingested reads the store's own counter of samples written, summed over
// its label sets, from its /metrics.
func (s *store) ingested() (float64, error) {
	body, err := httpGet(s.base + "/metrics")
	if err != nil {
		return 0, fmt.Errorf("%s: %w", s.name, err)
	}
	return sumMetric(body, s.ingestMetric), nil
}

// queryVector runs an instant PromQL query (both stores speak the
// Prometheus HTTP API) and returns each result's value by the value of
// label by.
func (s *store) queryVector(query, by string) (map[string]float64, error) {
	body, err := httpGet(s.base + "/api/v1/query?query=" + url.QueryEscape(query))
	if err != nil {
		return nil, fmt.Errorf("%s: %s: %w", s.name, query, err)
	}
	var r struct {
		Status string `json:"status"`
		Error  string `json:"error"`
		Data   struct {
			Result []struct {
				Metric map[string]string `json:"metric"`
				Value  [2]any            `json:"value"`
			} `json:"result"`
		} `json:"data"`
	}
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		return nil, fmt.Errorf("%s: %s: %w", s.name, query, err)
	}
	if r.Status != "success" {
		return nil, fmt.Errorf("%s: %s: %s", s.name, query, r.Error)
	}
	out := map[string]float64{}
	for _, res := range r.Data.Result {
		text, _ := res.Value[1].(string)
		v, err := strconv.ParseFloat(text, 64)
		if err != nil {
			return nil, fmt.Errorf("%s: %s: value %q", s.name, query, text)
		}
		out[res.Metric[by]] = v
	}
	return out, nil
}

// httpGet returns the body of a 200 answer.
func httpGet(u string) (string, error) {
	client := http.Client{Timeout: 30 * time.Second}
	resp, err := client.Get(u)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("%s: %s: %.300s", u, resp.Status, body)
	}
	return string(body), nil
}
