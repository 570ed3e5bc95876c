package luaplugins

import (
	"bufio"
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/VictoriaMetrics/metrics"
)

// metricNameCase is one row of testdata/metricnames.txt.
type metricNameCase struct {
	line                     int
	kind, name, verdict, why string
	labels                   []string
}

func readMetricNameCases(t *testing.T) []metricNameCase {
	t.Helper()
	f, err := os.Open("testdata/metricnames.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []metricNameCase
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || text[0] == '#' {
			continue
		}
		f := strings.Fields(text)
		if len(f) < 4 {
			t.Fatalf("metricnames.txt:%d: want kind name labels verdict [why], got %q", n, text)
		}
		c := metricNameCase{line: n, kind: f[0], name: f[1], verdict: f[3]}
		if f[2] != "-" {
			c.labels = strings.Split(f[2], ",")
		}
		if len(f) > 4 {
			c.why = f[4]
		}
		if (c.verdict == "ok") != (c.why == "") {
			t.Fatalf("metricnames.txt:%d: an ok row has no why, a refused one must have one", n)
		}
		out = append(out, c)
	}
	return out
}

// validate runs a case through the validator.
func (c metricNameCase) validate() error {
	if err := ValidateMetricName(c.name, c.kind); err != nil {
		return err
	}
	for _, l := range c.labels {
		if err := ValidateLabelName(l); err != nil {
			return err
		}
	}
	return nil
}

// exposition is a one-series exposition of the case, as a plugin's
// series would be rendered (without the plugin label, which promtool
// would accept anyway).
func (c metricNameCase) exposition() string {
	var b strings.Builder
	fmt.Fprintf(&b, "# HELP %s Plugin metric.\n# TYPE %s %s\n%s", c.name, c.name, c.kind, c.name)
	if len(c.labels) > 0 {
		b.WriteByte('{')
		for i, l := range c.labels {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, "%s=\"v\"", l)
		}
		b.WriteByte('}')
	}
	b.WriteString(" 1\n")
	return b.String()
}

// promtool runs `promtool check metrics` over text and returns what it
// said; ok is true when it exited 0 and said nothing.
func promtool(t *testing.T, text string) (said string, ok bool) {
	t.Helper()
	path, err := exec.LookPath("promtool")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("promtool is missing (make test installs Debian's prometheus package)")
		}
		t.Skip("promtool is not installed; the rule table cannot be compared with it")
	}
	cmd := exec.Command(path, "check", "metrics")
	cmd.Stdin = strings.NewReader(text)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("promtool: %v", err)
	}
	return strings.TrimSpace(out.String()), err == nil && out.Len() == 0
}

// promtoolNameRE and promtoolLabelRE are the names the text format can
// carry at all; cases with others make promtool fail to parse and are
// run on their own.
var (
	promtoolNameRE  = regexp.MustCompile(`^[a-zA-Z_:][a-zA-Z0-9_:]*$`)
	promtoolLabelRE = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*$`)
)

// promtoolVerdicts runs the cases through promtool and returns what it
// said about each (empty: nothing). Parseable cases share one run, keyed
// by family name in promtool's output; the others run one by one.
func promtoolVerdicts(t *testing.T, cases []metricNameCase) map[int]string {
	t.Helper()
	said := map[int]string{}
	var batch strings.Builder
	byName := map[string]int{}
	for _, c := range cases {
		parseable := promtoolNameRE.MatchString(c.name)
		for _, l := range c.labels {
			parseable = parseable && promtoolLabelRE.MatchString(l)
		}
		if _, dup := byName[c.name]; dup {
			t.Fatalf("metricnames.txt:%d: %s appears twice; give each case its own name", c.line, c.name)
		}
		if !parseable {
			if s, ok := promtool(t, c.exposition()); !ok {
				said[c.line] = cmp.Or(s, "promtool failed")
			}
			continue
		}
		byName[c.name] = c.line
		batch.WriteString(c.exposition())
	}
	out, ok := promtool(t, batch.String())
	if ok {
		return said
	}
	for l := range strings.Lines(out) {
		name, text, _ := strings.Cut(strings.TrimSpace(l), " ")
		line, found := byName[name]
		if !found {
			t.Fatalf("promtool said %q about no case (did it fail to parse?)", out)
		}
		said[line] += text + "; "
	}
	return said
}

// TestMetricNameRules runs every row of testdata/metricnames.txt through
// the validator and through promtool, so the two cannot drift apart: a
// name the validator accepts passes promtool without a lint complaint,
// and a refusal is either promtool's too (lint) or one of heimnetz's own
// rules (agent).
func TestMetricNameRules(t *testing.T) {
	cases := readMetricNameCases(t)
	said := promtoolVerdicts(t, cases)
	for _, c := range cases {
		t.Run(fmt.Sprintf("%d_%s", c.line, c.name), func(t *testing.T) {
			err := c.validate()
			promSaid, promOK := said[c.line], said[c.line] == ""
			switch c.verdict {
			case "ok":
				if err != nil {
					t.Errorf("validator refused %s %s: %v", c.kind, c.name, err)
				}
				if !promOK {
					t.Errorf("validator accepts %s %s but promtool says %q", c.kind, c.name, promSaid)
				}
			case "lint", "agent":
				if err == nil {
					t.Fatalf("validator accepted %s %s %v (want refused: %s)", c.kind, c.name, c.labels, c.why)
				}
				if !errors.Is(err, ErrMetric) || !strings.Contains(err.Error(), c.why) {
					t.Errorf("error %q does not wrap ErrMetric or name %q", err, c.why)
				}
				if promOK != (c.verdict == "agent") {
					t.Errorf("verdict %s, but promtool ok=%v (%q)", c.verdict, promOK, promSaid)
				}
			default:
				t.Fatalf("unknown verdict %q", c.verdict)
			}
		})
	}
}

// FuzzValidateMetricName: the validator never panics, and what it
// accepts is a name the text format and the metrics library carry.
func FuzzValidateMetricName(f *testing.F) {
	for _, s := range []string{"wan_rx_bytes", "x_total", "wanRx", "a:b", "ping_ms", "é", "", "a\x00b", "node_memory_MemTotal_bytes", "node_entropy_pool_size_bits"} {
		f.Add(s, false)
		f.Add(s, true)
	}
	syntax := regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	f.Fuzz(func(t *testing.T, name string, counter bool) {
		kind := KindGauge
		if counter {
			kind = KindCounter
		}
		if err := ValidateMetricName(name, kind); err == nil {
			if !syntax.MatchString(name) || len(name) > MaxMetricNameBytes {
				t.Fatalf("accepted %q", name)
			}
			if err := metrics.ValidateMetric(name + `{plugin="x"}`); err != nil {
				t.Fatalf("accepted %q, which the metrics library refuses: %v", name, err)
			}
		} else if !errors.Is(err, ErrMetric) || len(err.Error()) > 300 {
			t.Fatalf("error %q does not wrap ErrMetric or is unbounded", err)
		}
		// The bundled rule differs only on NodeExporterName's and
		// BundledAgentName's names.
		if err := ValidateBundledMetricName(name, kind); (err == nil) != (ValidateMetricName(name, kind) == nil) && !NodeExporterName(name) && !BundledAgentName(name) {
			t.Fatalf("bundled rule disagrees on %q, which is not a node_exporter name: %v", name, err)
		} else if err == nil {
			if err := metrics.ValidateMetric(name + `{plugin="x"}`); err != nil {
				t.Fatalf("bundled rule accepted %q, which the metrics library refuses: %v", name, err)
			}
		}
		if err := ValidateLabelName(name); err == nil && (!syntax.MatchString(name) || name == "le" || name == "quantile" || name == "plugin") {
			t.Fatalf("accepted label %q", name)
		}
	})
}

// TestNodeExporterNames runs testdata/nodeexporternames.txt: the names a
// bundled plugin may use besides the common rules, which no other plugin
// may, and which promtool complains about only with the two lints the
// exemption is for.
func TestNodeExporterNames(t *testing.T) {
	data, err := os.ReadFile("testdata/nodeexporternames.txt")
	if err != nil {
		t.Fatal(err)
	}
	var lintable strings.Builder
	rows := 0
	for n, text := range strings.Split(string(data), "\n") {
		f := strings.Fields(text)
		if len(f) == 0 || f[0][0] == '#' {
			continue
		}
		if len(f) != 3 || f[2] != "ok" && f[2] != "refused" {
			t.Fatalf("nodeexporternames.txt:%d: want kind name ok|refused, got %q", n+1, text)
		}
		rows++
		kind, name, ok := f[0], f[1], f[2] == "ok"
		if err := ValidateMetricName(name, kind); err == nil || !errors.Is(err, ErrMetric) {
			t.Errorf("%d: ValidateMetricName(%s %s) = %v, want refused: only bundled plugins are exempt", n+1, kind, name, err)
		}
		err := ValidateBundledMetricName(name, kind)
		if ok && err != nil {
			t.Errorf("%d: ValidateBundledMetricName(%s %s) refused: %v", n+1, kind, name, err)
		}
		if !ok && (err == nil || !errors.Is(err, ErrMetric)) {
			t.Errorf("%d: ValidateBundledMetricName(%s %s) = %v, want refused", n+1, kind, name, err)
		}
		if ok {
			if !NodeExporterName(name) {
				t.Errorf("%d: NodeExporterName(%s) = false", n+1, name)
			}
			fmt.Fprintf(&lintable, "# HELP %s x\n# TYPE %s %s\n%s 1\n", name, name, kind, name)
		}
	}
	if rows < 35 {
		t.Fatalf("%d rows read", rows)
	}
	for _, name := range []string{"node_memory_MemTotal_bytes", "node_entropy_pool_size_bits"} {
		if !NodeExporterName(name) {
			t.Errorf("NodeExporterName(%s) = false", name)
		}
	}
	for _, name := range []string{"node_memoryX_Foo_bytes", "my_camelCase", "node_memory_mem_total", "heimnetz_x", ""} {
		if NodeExporterName(name) {
			t.Errorf("NodeExporterName(%q) = true", name)
		}
	}
	said, _ := promtool(t, lintable.String())
	for l := range strings.Lines(said) {
		if !NodeExporterLint(strings.TrimSpace(l)) {
			t.Errorf("promtool: %s (not one of the exempt lints)", l)
		}
	}
	for _, name := range []string{"node_memory_MemTotal_bytes", "node_memory_HugePages_Total", "node_entropy_available_bits",
		"node_netstat_Tcp_CurrEstab", "wifi_station_inactive_milliseconds", "wifi_station_receive_kilobits_per_second"} {
		if !strings.Contains(said, name+" ") {
			t.Errorf("promtool accepts %s, which then needs no exemption (promtool said %q)", name, said)
		}
	}
}

// TestBundledAgentNames: the heimnetz_ families of the bundled plugins
// are refused to every other plugin (the agent's prefix) and to bundled
// plugins past the list; promtool has nothing to say about them.
func TestBundledAgentNames(t *testing.T) {
	var text strings.Builder
	for _, name := range bundledAgentNames {
		if err := ValidateMetricName(name, KindGauge); err == nil || !strings.Contains(err.Error(), "reserved prefix") {
			t.Errorf("ValidateMetricName(%s) = %v, want the reserved prefix", name, err)
		}
		if err := ValidateBundledMetricName(name, KindGauge); err != nil {
			t.Errorf("ValidateBundledMetricName(%s) = %v", name, err)
		}
		fmt.Fprintf(&text, "# HELP %s x\n# TYPE %s gauge\n%s 1\n", name, name, name)
	}
	for _, name := range []string{"heimnetz_plugin_errors_total", "heimnetz_wan_up_total", "heimnetz_server_requests_total", "heimnetz_dhcp_lease"} {
		if err := ValidateBundledMetricName(name, KindCounter); err == nil {
			t.Errorf("ValidateBundledMetricName(%s) accepted", name)
		}
	}
	if err := ValidateBundledMetricName("heimnetz_wan_up", KindCounter); err == nil {
		t.Error("heimnetz_wan_up accepted as a counter")
	}
	if said, _ := promtool(t, text.String()); said != "" {
		t.Errorf("promtool: %s", said)
	}
}

func TestNetstatDefaultField(t *testing.T) {
	for key, want := range map[string]bool{
		"Tcp_CurrEstab": true, "Ip_Forwarding": true, "Ip6_InOctets": true, "IpExt_OutOctets": true,
		"Icmp6_OutMsgs": true, "TcpExt_ListenOverflows": true, "TcpExt_SyncookiesFailed": true,
		"Udp6_RcvbufErrors": true, "UdpLite6_InErrors": true, "Tcp_InErrs": true,
		"Tcp_MaxConn": false, "TcpExt_TW": false, "IcmpMsg_InType3": false, "Ip_InReceives": false,
		"Foo_InErrors": false, "Tcp_In_Errs": false, "TcpExt_Listen-x": false, "Tcp": false, "_InErrors": false,
		"Ip6_InHdrErrors": false, "Tcp_CurrEstab ": false,
	} {
		if got := NetstatDefaultField(key); got != want {
			t.Errorf("NetstatDefaultField(%q) = %v, want %v", key, got, want)
		}
	}
}

func TestLabelText(t *testing.T) {
	for _, tt := range []struct {
		in   string
		max  int
		want string
	}{
		{"Heimnetz", 128, "Heimnetz"},
		{"caf\xe9", 128, "caf\uFFFD"},       // a Latin-1 SSID
		{"ab\xed\xa0\x80", 128, "ab\uFFFD"}, // a surrogate is invalid UTF-8
		{strings.Repeat("a", 130), 128, strings.Repeat("a", 128)},
		{strings.Repeat("a", 127) + "é", 128, strings.Repeat("a", 127)}, // not half a character
		{"😀😀", 5, "😀"},
		{"x", 0, ""},
	} {
		got := LabelText(tt.in, tt.max)
		if got != tt.want {
			t.Errorf("LabelText(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
		}
	}
}

// FuzzLabelText: whatever the text, LabelText's result is a label value
// ValidateLabelValue accepts, and valid short text is left alone.
func FuzzLabelText(f *testing.F) {
	for _, s := range []string{"", "Heimnetz", "caf\xe9", "\xff\xfe", "😀", strings.Repeat("é", 100)} {
		f.Add(s, 128)
	}
	f.Fuzz(func(t *testing.T, s string, max int) {
		max = max%300 + 1
		if max <= 0 {
			max += 300
		}
		got := LabelText(s, max)
		if err := ValidateLabelValue("x", got, max); err != nil {
			t.Fatalf("LabelText(%q, %d) = %q: %v", s, max, got, err)
		}
		if utf8.ValidString(s) && len(s) <= max && got != s {
			t.Fatalf("LabelText(%q, %d) = %q, changed valid text", s, max, got)
		}
	})
}
