package luaplugins

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/VictoriaMetrics/metrics"

	"github.com/heimnetz/heimnetz/limits"
)

// Kinds of plugin metric.
const (
	KindGauge   = "gauge"
	KindCounter = "counter"
)

const (
	maxMetricName = 100
	maxLabels     = 8
)

var (
	metricNameRE = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*$`)
	labelNameRE  = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*$`)
	// reservedPrefixes are the agent's own families; a plugin may not
	// write into them.
	reservedPrefixes = []string{"heimnetz_", "go_", "process_", "flag_"}
)

// ErrMetric marks an invalid metric name, label or value from a plugin.
var ErrMetric = errors.New("invalid metric")

// Families records the kind of every plugin metric family across all
// plugins, so one name is never a gauge for one plugin and a counter for
// another. It is shared by the agent's plugins and safe for concurrent use.
type Families struct {
	mu sync.Mutex
	m  map[string]*family
}

type family struct {
	kind   string
	owners map[string]bool
}

// NewFamilies returns an empty family registry.
func NewFamilies() *Families { return &Families{m: map[string]*family{}} }

func (f *Families) claim(name, kind, plugin string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	fam := f.m[name]
	if fam == nil {
		f.m[name] = &family{kind: kind, owners: map[string]bool{plugin: true}}
		return nil
	}
	if fam.kind != kind {
		return fmt.Errorf("%w: %s is already a %s", ErrMetric, name, fam.kind)
	}
	fam.owners[plugin] = true
	return nil
}

func (f *Families) release(plugin string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for name, fam := range f.m {
		delete(fam.owners, plugin)
		if len(fam.owners) == 0 {
			delete(f.m, name)
		}
	}
}

func (f *Families) kind(name string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if fam := f.m[name]; fam != nil {
		return fam.kind
	}
	return ""
}

// PluginMetrics holds one plugin's metric series in its own
// VictoriaMetrics Set. Every series carries plugin="<name>".
type PluginMetrics struct {
	plugin string
	fam    *Families
	max    int
	maxLbl int

	mu     sync.Mutex
	set    *metrics.Set
	series map[string]bool
}

// NewPluginMetrics returns an empty set for plugin under its limits.
func NewPluginMetrics(plugin string, fam *Families, lim limits.Limits) *PluginMetrics {
	return &PluginMetrics{plugin: plugin, fam: fam, max: lim.MetricSeries, maxLbl: lim.LabelBytes, set: metrics.NewSet(), series: map[string]bool{}}
}

// Series returns the number of series the plugin has created.
func (p *PluginMetrics) Series() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.series)
}

// Names returns the plugin's series, sorted.
func (p *PluginMetrics) Names() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]string, 0, len(p.series))
	for s := range p.series {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// Drop removes every series and releases the plugin's families; the
// plugin's metrics disappear from /metrics at once.
func (p *PluginMetrics) Drop() {
	p.mu.Lock()
	p.set.UnregisterAllMetrics()
	p.series = map[string]bool{}
	p.mu.Unlock()
	p.fam.release(p.plugin)
}

// SetGauge sets the gauge name{labels} to v.
func (p *PluginMetrics) SetGauge(name string, v float64, labels map[string]string) error {
	if strings.HasSuffix(name, "_total") {
		return fmt.Errorf("%w: gauge %s must not end in _total (use metrics.add for counters)", ErrMetric, name)
	}
	series, err := p.prepare(name, KindGauge, labels)
	if err != nil {
		return err
	}
	p.set.GetOrCreateGauge(series, nil).Set(v)
	return nil
}

// AddCounter adds delta (≥ 0) to the counter name{labels}.
func (p *PluginMetrics) AddCounter(name string, delta float64, labels map[string]string) error {
	if !strings.HasSuffix(name, "_total") {
		return fmt.Errorf("%w: counter %s must end in _total", ErrMetric, name)
	}
	if delta < 0 {
		return fmt.Errorf("%w: counter %s cannot go down (delta %g)", ErrMetric, name, delta)
	}
	series, err := p.prepare(name, KindCounter, labels)
	if err != nil {
		return err
	}
	p.set.GetOrCreateFloatCounter(series).Add(delta)
	return nil
}

// prepare validates a series, enforces the series cap and returns the
// series' text form.
func (p *PluginMetrics) prepare(name, kind string, labels map[string]string) (string, error) {
	if len(name) > maxMetricName || !metricNameRE.MatchString(name) {
		return "", fmt.Errorf("%w: name %q must match [a-zA-Z_][a-zA-Z0-9_]* and be at most %d characters", ErrMetric, clip(name, 40), maxMetricName)
	}
	for _, pre := range reservedPrefixes {
		if strings.HasPrefix(name, pre) {
			return "", fmt.Errorf("%w: name %s uses the agent's reserved prefix %s", ErrMetric, name, pre)
		}
	}
	if len(labels) > maxLabels {
		return "", fmt.Errorf("%w: %s has %d labels, at most %d are allowed", ErrMetric, name, len(labels), maxLabels)
	}
	keys := make([]string, 0, len(labels))
	for k, v := range labels {
		if !labelNameRE.MatchString(k) || strings.HasPrefix(k, "__") || len(k) > maxMetricName {
			return "", fmt.Errorf("%w: label name %q is not valid", ErrMetric, clip(k, 40))
		}
		if k == "plugin" {
			return "", fmt.Errorf("%w: label plugin is set by the agent", ErrMetric)
		}
		if len(v) > p.maxLbl || !utf8.ValidString(v) {
			return "", fmt.Errorf("%w: value of label %s must be valid UTF-8 of at most %d bytes", ErrMetric, k, p.maxLbl)
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(name)
	b.WriteString(`{plugin="`)
	b.WriteString(p.plugin)
	b.WriteByte('"')
	for _, k := range keys {
		b.WriteByte(',')
		b.WriteString(k)
		b.WriteString(`="`)
		b.WriteString(escapeLabel(labels[k]))
		b.WriteByte('"')
	}
	b.WriteByte('}')
	series := b.String()

	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.series[series] {
		if len(p.series) >= p.max {
			return "", &limits.Violation{Plugin: p.plugin, Kind: limits.ErrOutput, Limit: fmt.Sprintf("%d metric series", p.max)}
		}
		if err := p.fam.claim(name, kind, p.plugin); err != nil {
			return "", err
		}
		p.series[series] = true
	}
	return series, nil
}

func escapeLabel(v string) string { return labelEscaper.Replace(v) }

// labelEscaper escapes a label value for the text exposition format.
var labelEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)

func clip(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// WritePrometheus writes the series of every plugin in sets, grouped by
// family with one HELP and TYPE line each, in Prometheus text format.
func WritePrometheus(w io.Writer, fam *Families, sets []*PluginMetrics) {
	sc := exposition.Get().(*expositionScratch)
	defer exposition.Put(sc)
	sc.buf.Reset()
	for _, p := range sets {
		p.mu.Lock()
		p.set.WritePrometheus(&sc.buf)
		p.mu.Unlock()
	}
	sc.lines = sc.lines[:0]
	for line := range bytes.Lines(sc.buf.Bytes()) {
		line = bytes.TrimSuffix(line, []byte("\n"))
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		name := line
		if i := bytes.IndexAny(line, "{ "); i >= 0 {
			name = line[:i]
		}
		sc.lines = append(sc.lines, familyLine{name: name, line: line})
	}
	// Group by family in name order; within a family, keep the order the
	// plugins wrote their series in.
	slices.SortStableFunc(sc.lines, func(a, b familyLine) int { return bytes.Compare(a.name, b.name) })
	out := sc.out[:0]
	for i, l := range sc.lines {
		if i == 0 || !bytes.Equal(l.name, sc.lines[i-1].name) {
			kind := fam.kind(string(l.name))
			if kind == "" {
				kind = "untyped"
			}
			out = append(out, "# HELP "...)
			out = append(out, l.name...)
			out = append(out, " Plugin metric.\n# TYPE "...)
			out = append(out, l.name...)
			out = append(out, ' ')
			out = append(out, kind...)
			out = append(out, '\n')
		}
		out = append(out, l.line...)
		out = append(out, '\n')
	}
	w.Write(out)
	sc.out = out
}

// expositionScratch is WritePrometheus's working memory, pooled so that a
// scrape a second does not allocate the exposition three times over.
type expositionScratch struct {
	buf   bytes.Buffer
	lines []familyLine
	out   []byte
}

// familyLine is one sample line of an exposition and its family's name.
type familyLine struct{ name, line []byte }

var exposition = sync.Pool{New: func() any { return new(expositionScratch) }}

// finite reports whether v can be exported.
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
