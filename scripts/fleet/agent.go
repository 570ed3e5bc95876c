package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// agent is one heimnetz of the fleet.
type agent struct {
	name string // agent-NN: its instance label in both stores
	addr string // 127.0.0.1:PORT
	dir  string
	proc *process
}

// labels are the labels the agent pushes with and Prometheus gives its
// target.
func (a *agent) labels() map[string]string {
	return map[string]string{"instance": a.name, "site": "fleet"}
}

// agentConfig is the part of heimnetz's config file the fleet sets.
type agentConfig struct {
	Plugins map[string]pluginSwitch `json:"plugins"`
	Push    *pushConfig             `json:"push,omitempty"`
}

type pluginSwitch struct {
	Interval string `json:"interval"`
}

// pushConfig is the config's push section (issue 16's names).
type pushConfig struct {
	URL      string            `json:"url"`
	Interval string            `json:"interval"`
	Labels   map[string]string `json:"labels"`
}

// bundledPlugins lists the agent's bundled plugins from the source tree.
func bundledPlugins(repo string) ([]string, error) {
	entries, err := os.ReadDir(filepath.Join(repo, "luaplugins", "bundled"))
	if err != nil {
		return nil, fmt.Errorf("bundled plugins: %w", err)
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() {
			names = append(names, e.Name())
		}
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("no bundled plugins under %s", repo)
	}
	return names, nil
}

// startAgent writes agent i's config (every plugin at interval, and a
// push to pushURL unless it is empty) and starts it on port, a free one
// from freePorts.
func startAgent(ps *processes, bin, root string, i, port int, plugins []string, interval time.Duration, pushURL string) (*agent, error) {
	a := &agent{name: fmt.Sprintf("agent-%02d", i), dir: filepath.Join(root, fmt.Sprintf("agent-%02d", i))}
	if err := os.MkdirAll(a.dir, 0o755); err != nil {
		return nil, err
	}
	cfg := agentConfig{Plugins: map[string]pluginSwitch{}}
	for _, p := range plugins {
		cfg.Plugins[p] = pluginSwitch{Interval: interval.String()}
	}
	if pushURL != "" {
		cfg.Push = &pushConfig{URL: pushURL, Interval: interval.String(), Labels: a.labels()}
	}
	data, err := json.MarshalIndent(cfg, "", "  ")
	if err != nil {
		return nil, err
	}
	cfgPath := filepath.Join(a.dir, "config.json")
	if err := os.WriteFile(cfgPath, data, 0o600); err != nil {
		return nil, err
	}
	a.addr = fmt.Sprintf("127.0.0.1:%d", port)
	a.proc, err = ps.start(a.name, filepath.Join(a.dir, "agent.log"), bin,
		"run", "--listen", a.addr, "--data", filepath.Join(a.dir, "data"), "--config", cfgPath)
	return a, err
}

// ready waits for the agent's /healthz; an agent that rejects the push
// section says so.
func (a *agent) ready() error {
	err := waitReady(a.proc, "http://"+a.addr+"/healthz", 60*time.Second)
	if err != nil && strings.Contains(a.proc.logTail(), `unknown field "push"`) {
		return fmt.Errorf("%s: this heimnetz has no push section yet (issue 16's push); run with -push=false to test the scrape half: %w", a.name, err)
	}
	return err
}
