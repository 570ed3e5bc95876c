package check

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestMetricNameRuleTable runs every row of luaplugins' metric name table
// (which TestMetricNameRules ties to promtool) through `plugin check` as
// a literal call: a name or label the runtime refuses is a high HN020
// finding, an accepted one is no finding at all.
func TestMetricNameRuleTable(t *testing.T) {
	f, err := os.Open("../testdata/metricnames.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	rows := 0
	for n := 1; sc.Scan(); n++ {
		fields := strings.Fields(sc.Text())
		if len(fields) < 4 || strings.HasPrefix(fields[0], "#") {
			continue
		}
		rows++
		kind, name, labels, verdict := fields[0], fields[1], fields[2], fields[3]
		fn := "metrics.set"
		if kind == "counter" {
			fn = "metrics.add"
		}
		var tbl strings.Builder
		if labels != "-" {
			tbl.WriteString(", {")
			for _, l := range strings.Split(labels, ",") {
				fmt.Fprintf(&tbl, "[%q] = 'v', ", l)
			}
			tbl.WriteString("}")
		}
		src := fmt.Sprintf("function collect() %s(%q, 1%s) end", fn, name, tbl.String())
		r := checkMain(t, src, "metrics")
		var found *Finding
		for i, fd := range r.Findings {
			if fd.Rule == RuleMetricName {
				found = &r.Findings[i]
			}
		}
		switch {
		case verdict == "ok" && found != nil:
			t.Errorf("metricnames.txt:%d: %s is accepted at run time but check reports %s", n, src, found.Message)
		case verdict != "ok" && (found == nil || found.Severity != High):
			t.Errorf("metricnames.txt:%d: %s is refused at run time but check reports %+v", n, src, found)
		}
	}
	if rows < 50 {
		t.Fatalf("only %d rows read", rows)
	}
}

// TestNodeExporterNamesAreFindings: the node_exporter names the runtime
// lets only bundled plugins export are HN020 findings, since check runs
// on third-party code (every row of nodeexporternames.txt, ok or not).
func TestNodeExporterNamesAreFindings(t *testing.T) {
	data, err := os.ReadFile("../testdata/nodeexporternames.txt")
	if err != nil {
		t.Fatal(err)
	}
	rows := 0
	for n, line := range strings.Split(string(data), "\n") {
		fields := strings.Fields(line)
		if len(fields) != 3 || strings.HasPrefix(fields[0], "#") {
			continue
		}
		rows++
		fn := "metrics.set"
		if fields[0] == "counter" {
			fn = "metrics.add"
		}
		src := fmt.Sprintf("function collect() %s(%q, 1) end", fn, fields[1])
		found := false
		for _, fd := range checkMain(t, src, "metrics").Findings {
			found = found || fd.Rule == RuleMetricName && fd.Severity == High
		}
		if !found {
			t.Errorf("nodeexporternames.txt:%d: %s has no high HN020 finding", n+1, src)
		}
	}
	if rows < 35 {
		t.Fatalf("only %d rows read", rows)
	}
}
