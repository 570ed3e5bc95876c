package monitoring

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
)

const dashboardFile = "grafana-dashboard.json"

// dashboard is the part of a Grafana dashboard (classic JSON model) these
// tests read.
type dashboard struct {
	SchemaVersion int `json:"schemaVersion"`
	Inputs        []struct {
		Name     string `json:"name"`
		Type     string `json:"type"`
		PluginID string `json:"pluginId"`
	} `json:"__inputs"`
	Templating struct {
		List []struct {
			Name       string      `json:"name"`
			Type       string      `json:"type"`
			Datasource *datasource `json:"datasource"`
			Definition string      `json:"definition"`
		} `json:"list"`
	} `json:"templating"`
	Requires []struct {
		Type string `json:"type"`
		ID   string `json:"id"`
	} `json:"__requires"`
	Panels []panel `json:"panels"`
}

type datasource struct {
	Type string `json:"type"`
	UID  string `json:"uid"`
}

type panel struct {
	ID         int         `json:"id"`
	Type       string      `json:"type"`
	Title      string      `json:"title"`
	Datasource *datasource `json:"datasource"`
	GridPos    struct {
		H, W, X, Y int
	} `json:"gridPos"`
	Targets []target `json:"targets"`
	// Panels are a collapsed row's panels.
	Panels []panel `json:"panels"`
}

type target struct {
	RefID      string      `json:"refId"`
	Expr       string      `json:"expr"`
	Datasource *datasource `json:"datasource"`
}

// query is one panel target's expression.
type query struct {
	Panel, RefID, Expr string
}

// dsInput is the import-time input every panel's datasource names, so
// Grafana asks which Prometheus to use when the dashboard is imported.
const dsInput = "${DS_PROMETHEUS}"

// readDashboard parses grafana-dashboard.json and returns it with its
// queries, panel by panel (rows' panels included).
func readDashboard(t *testing.T) (dashboard, []query, int) {
	t.Helper()
	data, err := os.ReadFile(dashboardFile)
	if err != nil {
		t.Fatal(err)
	}
	var d dashboard
	if err := json.Unmarshal(data, &d); err != nil {
		t.Fatalf("%s: %v", dashboardFile, err)
	}
	var qs []query
	panels := 0
	var walk func([]panel)
	walk = func(ps []panel) {
		for _, p := range ps {
			walk(p.Panels)
			if p.Type == "row" {
				continue
			}
			panels++
			for _, tg := range p.Targets {
				qs = append(qs, query{Panel: p.Title, RefID: tg.RefID, Expr: tg.Expr})
			}
		}
	}
	walk(d.Panels)
	return d, qs, panels
}

// TestDashboardShape: the dashboard imports into a current Grafana with
// the Prometheus chosen at import, offers the instance variable, lays its
// panels out on the 24-column grid without overlap, and every query is
// restricted to the chosen instances.
func TestDashboardShape(t *testing.T) {
	d, qs, panels := readDashboard(t)
	// 41 is Grafana 12's classic dashboard schema.
	if d.SchemaVersion < 41 {
		t.Errorf("schemaVersion %d, want a current Grafana's (41 or later)", d.SchemaVersion)
	}
	if len(d.Inputs) != 1 || d.Inputs[0].Name != "DS_PROMETHEUS" || d.Inputs[0].Type != "datasource" || d.Inputs[0].PluginID != "prometheus" {
		t.Errorf("__inputs %+v, want the one Prometheus datasource input DS_PROMETHEUS", d.Inputs)
	}
	var instanceVar bool
	for _, v := range d.Templating.List {
		if v.Name == "instance" && v.Type == "query" && v.Datasource != nil && v.Datasource.UID == dsInput &&
			strings.Contains(v.Definition, "heimnetz_build_info") {
			instanceVar = true
		}
	}
	if !instanceVar {
		t.Errorf("no instance variable querying heimnetz_build_info from %s", dsInput)
	}
	required := map[string]bool{}
	for _, r := range d.Requires {
		required[r.Type+"/"+r.ID] = true
	}
	if !required["grafana/grafana"] || !required["datasource/prometheus"] {
		t.Errorf("__requires %+v lacks grafana or the prometheus datasource", d.Requires)
	}
	rows := map[string]bool{}
	ids := map[int]string{}
	type cell struct{ x, y int }
	taken := map[cell]string{}
	var walk func([]panel)
	walk = func(ps []panel) {
		for _, p := range ps {
			walk(p.Panels)
			if other, dup := ids[p.ID]; dup || p.ID == 0 {
				t.Errorf("panel %q: id %d (also %q)", p.Title, p.ID, other)
			}
			ids[p.ID] = p.Title
			g := p.GridPos
			if g.W <= 0 || g.H <= 0 || g.X < 0 || g.X+g.W > 24 {
				t.Errorf("panel %q: gridPos %+v off the 24-column grid", p.Title, g)
			}
			for x := g.X; x < g.X+g.W; x++ {
				for y := g.Y; y < g.Y+g.H; y++ {
					if other, ok := taken[cell{x, y}]; ok {
						t.Fatalf("panel %q overlaps %q at %d,%d", p.Title, other, x, y)
					}
					taken[cell{x, y}] = p.Title
				}
			}
			if p.Type == "row" {
				rows[p.Title] = true
				continue
			}
			if !required["panel/"+p.Type] {
				t.Errorf("panel %q: type %s is not in __requires (Grafana's import lists what a dashboard needs from it)", p.Title, p.Type)
			}
			if p.Datasource == nil || p.Datasource.UID != dsInput || p.Datasource.Type != "prometheus" {
				t.Errorf("panel %q: datasource %+v, want prometheus %s", p.Title, p.Datasource, dsInput)
			}
			if len(p.Targets) == 0 {
				t.Errorf("panel %q has no query", p.Title)
			}
			refs := map[string]bool{}
			for _, tg := range p.Targets {
				if tg.RefID == "" || refs[tg.RefID] {
					t.Errorf("panel %q: refId %q empty or repeated", p.Title, tg.RefID)
				}
				refs[tg.RefID] = true
				if tg.Datasource == nil || tg.Datasource.UID != dsInput {
					t.Errorf("panel %q %s: datasource %+v, want %s", p.Title, tg.RefID, tg.Datasource, dsInput)
				}
			}
		}
	}
	walk(d.Panels)
	for _, want := range []string{"Agent health", "Plugins", "Router"} {
		if !rows[want] {
			t.Errorf("no row %q", want)
		}
	}
	instanceSel := regexp.MustCompile(`\{[^}]*instance=~"\$instance"[^}]*\}`)
	for _, q := range qs {
		if strings.TrimSpace(q.Expr) == "" {
			t.Errorf("panel %q %s: empty query", q.Panel, q.RefID)
			continue
		}
		// Every selector in the query, not just one, is restricted.
		for _, sel := range selectors(q.Expr) {
			if !instanceSel.MatchString(sel) {
				t.Errorf("panel %q %s: selector %s is not restricted to $instance", q.Panel, q.RefID, sel)
			}
		}
		if _, err := expand(q.Expr, "127.0.0.1:9110"); err != nil {
			t.Errorf("panel %q %s: %v", q.Panel, q.RefID, err)
		}
	}
	t.Logf("%s: %d panels, %d queries", dashboardFile, panels, len(qs))
}

// selectors returns the series selectors of a PromQL expression: each
// metric name with its braces.
func selectors(expr string) []string {
	return regexp.MustCompile(`[a-zA-Z_:][a-zA-Z0-9_:]*\{[^}]*\}`).FindAllString(expr, -1)
}

// Grafana's interval variables, as the tests substitute them: the
// scraping Prometheus in the test scrapes every second, so 15 s holds
// several samples.
const (
	rateInterval = "15s"
	interval     = "15s"
)

// expand substitutes the dashboard's variables as Grafana does for one
// selected instance: a regular expression escaped for a PromQL string.
func expand(expr, instance string) (string, error) {
	inst := strings.ReplaceAll(regexp.QuoteMeta(instance), `\`, `\\`)
	out := strings.NewReplacer(
		"${__rate_interval}", rateInterval, "$__rate_interval", rateInterval,
		"${__interval}", interval, "$__interval", interval,
		"${instance}", inst, "$instance", inst,
	).Replace(expr)
	if left := regexp.MustCompile(`\$\{?[A-Za-z_]\w*`).FindString(out); left != "" {
		return "", fmt.Errorf("unknown variable %s in %s", left, expr)
	}
	return out, nil
}
