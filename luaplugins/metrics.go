package luaplugins

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/VictoriaMetrics/metrics"

	"github.com/heimnetz/heimnetz/limits"
)

// Kinds of plugin metric.
const (
	KindGauge   = "gauge"
	KindCounter = "counter"
)

// MetricBytesPerSeries is the byte budget a plugin gets for what the
// agent keeps of its metrics (names, label names and values, the series'
// text form and the bookkeeping around them) for each series its
// MetricSeries limit allows: 256,000 bytes at the default 500 series.
const MetricBytesPerSeries = 512

// seriesOverhead is what the agent keeps for one series besides its
// strings: the VictoriaMetrics set's map entry and metric, this package's
// map entry, series struct and label slice header. TestSeriesOverhead
// measured 380 bytes of heap a series on amd64, about 45 of them its
// strings; pointers are half as wide on the 32-bit routers.
const seriesOverhead = 384

// labelOverhead is what one label adds besides its strings: its Label in
// the series' slice.
const labelOverhead = 32

// ErrMetric marks an invalid metric name, label or value from a plugin.
var ErrMetric = errors.New("invalid metric")

// Label is one label of a plugin series.
type Label struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Sample is one plugin series as /metrics exports it, without the plugin
// label the agent adds.
type Sample struct {
	Name   string  `json:"name"`
	Kind   string  `json:"kind"`
	Labels []Label `json:"labels"` // sorted by name
	Value  float64 `json:"value"`
}

// series is one kept series. Every string in it is the agent's own copy.
type series struct {
	family  string
	kind    string
	labels  []Label
	gauge   *metrics.Gauge
	counter *metrics.FloatCounter
	cost    int // bytes charged to the plugin's budget for it
}

// PluginMetrics holds one plugin's metric series in its own
// VictoriaMetrics Set. Every series carries plugin="<name>". What it
// keeps is bounded by the plugin's series limit, MaxPluginFamilies and a
// byte budget (MetricBytesPerSeries per allowed series); every string it
// keeps is copied, so a plugin cannot make it hold a larger Lua string
// alive through a substring.
type PluginMetrics struct {
	plugin   string
	fam      *Families
	max      int
	maxLbl   int
	maxBytes int
	// bundled lets the plugin use NodeExporterName's names; set by Load
	// for a Source whose Origin is OriginBundled, never for another.
	bundled bool

	mu       sync.Mutex
	set      *metrics.Set
	series   map[string]*series
	families map[string]string // family name → the copy its series share
	bytes    int
	// gen changes whenever a series goes away (Delete, Drop), so a
	// labelCache never hands out a series that is no longer kept.
	gen atomic.Uint64
}

// NewPluginMetrics returns an empty set for plugin under its limits.
func NewPluginMetrics(plugin string, fam *Families, lim limits.Limits) *PluginMetrics {
	return &PluginMetrics{
		plugin: plugin, fam: fam, max: lim.MetricSeries, maxLbl: lim.LabelBytes,
		maxBytes: lim.MetricSeries * MetricBytesPerSeries,
		set:      metrics.NewSet(), series: map[string]*series{}, families: map[string]string{},
	}
}

// Series returns the number of series the plugin has created.
func (p *PluginMetrics) Series() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.series)
}

// Bytes returns the bytes the agent keeps for the plugin's series, as
// its metric byte budget counts them.
func (p *PluginMetrics) Bytes() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.bytes
}

// MaxBytes returns the plugin's metric byte budget.
func (p *PluginMetrics) MaxBytes() int { return p.maxBytes }

// Snapshot returns the plugin's series with their current values, sorted
// by their text form: the names, labels and values /metrics exports,
// typed, so a page or API never has to parse the exposition.
func (p *PluginMetrics) Snapshot() []Sample {
	p.mu.Lock()
	defer p.mu.Unlock()
	keys := make([]string, 0, len(p.series))
	for k := range p.series {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]Sample, 0, len(keys))
	for _, k := range keys {
		s := p.series[k]
		smp := Sample{Name: s.family, Kind: s.kind, Labels: slices.Clone(s.labels)}
		if s.gauge != nil {
			smp.Value = s.gauge.Get()
		} else {
			smp.Value = s.counter.Get()
		}
		out = append(out, smp)
	}
	return out
}

// Drop removes every series and releases the plugin's families; the
// plugin's metrics disappear from /metrics at once.
func (p *PluginMetrics) Drop() {
	p.mu.Lock()
	p.set.UnregisterAllMetrics()
	p.series = map[string]*series{}
	p.families = map[string]string{}
	p.bytes = 0
	p.gen.Add(1)
	p.mu.Unlock()
	p.fam.release(p.plugin)
}

// SetGauge sets the gauge name{labels} to v.
func (p *PluginMetrics) SetGauge(name string, v float64, labels map[string]string) error {
	_, err := p.write(name, KindGauge, v, labels)
	return err
}

// AddCounter adds delta (≥ 0) to the counter name{labels}.
func (p *PluginMetrics) AddCounter(name string, delta float64, labels map[string]string) error {
	_, err := p.write(name, KindCounter, delta, labels)
	return err
}

// write sets the gauge or adds to the counter name{labels} and returns
// the kept series, nil when the series was refused.
func (p *PluginMetrics) write(name, kind string, v float64, labels map[string]string) (*series, error) {
	if err := checkValue(name, kind, v); err != nil {
		return nil, err
	}
	s, err := p.prepare(name, kind, labels)
	if err != nil {
		return nil, err
	}
	return s, s.apply(v)
}

// checkValue reports whether v may be written to a series of kind.
func checkValue(name, kind string, v float64) error {
	switch {
	case kind == KindCounter && (!finite(v) || v < 0):
		return fmt.Errorf("%w: counter %s cannot go down or by a non-finite amount (delta %g)", ErrMetric, clip(name, 40), v)
	case !finite(v):
		return fmt.Errorf("%w: value of %s must be a finite number, not %g", ErrMetric, clip(name, 40), v)
	}
	return nil
}

// apply sets the gauge s to v or adds v to the counter s; v has passed
// checkValue.
func (s *series) apply(v float64) error {
	if s.gauge != nil {
		s.gauge.Set(v)
		return nil
	}
	// Calls of one plugin are serialised, so nothing adds in between.
	if !finite(s.counter.Get() + v) {
		return fmt.Errorf("%w: counter %s would grow past the largest finite number (delta %g)", ErrMetric, clip(s.family, 40), v)
	}
	s.counter.Add(v)
	return nil
}

// prepare validates a series, enforces the plugin's series, family and
// byte limits, and returns the kept series, creating it the first time.
func (p *PluginMetrics) prepare(name, kind string, labels map[string]string) (*series, error) {
	// A family the plugin already has passed the rule, as a counter if
	// and only if it ends in _total; so a known name used with the kind
	// its suffix implies needs no second look, and a collect() writing
	// the same families each run skips the rule.
	p.mu.Lock()
	_, known := p.families[name]
	p.mu.Unlock()
	if !known || strings.HasSuffix(name, "_total") != (kind == KindCounter) {
		validate := ValidateMetricName
		if p.bundled {
			validate = ValidateBundledMetricName
		}
		if err := validate(name, kind); err != nil {
			return nil, err
		}
	}
	if len(labels) > MaxLabels {
		return nil, fmt.Errorf("%w: %s has %d labels, at most %d are allowed", ErrMetric, name, len(labels), MaxLabels)
	}
	keys := make([]string, 0, len(labels))
	for k := range labels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if err := ValidateLabelName(k); err != nil {
			return nil, err
		}
		if err := ValidateLabelValue(k, labels[k], p.maxLbl); err != nil {
			return nil, err
		}
	}
	key := p.seriesKey(name, keys, labels)

	p.mu.Lock()
	defer p.mu.Unlock()
	if s := p.series[key]; s != nil {
		return s, nil
	}
	if len(p.series) >= p.max {
		return nil, &limits.Violation{Plugin: p.plugin, Kind: limits.ErrOutput, Limit: fmt.Sprintf("%d metric series", p.max)}
	}
	cost := seriesOverhead + len(key)
	for _, k := range keys {
		cost += labelOverhead + len(k) + len(labels[k])
	}
	famName, known := p.families[name]
	if !known {
		if len(p.families) >= MaxPluginFamilies {
			return nil, &limits.Violation{Plugin: p.plugin, Kind: limits.ErrOutput, Limit: fmt.Sprintf("%d metric families", MaxPluginFamilies)}
		}
		cost += len(name)
	}
	if p.bytes+cost > p.maxBytes {
		return nil, &limits.Violation{Plugin: p.plugin, Kind: limits.ErrOutput, Limit: fmt.Sprintf("%d bytes of metric names and labels", p.maxBytes)}
	}
	if !known {
		if err := p.fam.claim(name, kind, p.plugin); err != nil {
			return nil, err
		}
		famName = strings.Clone(name)
		p.families[famName] = famName
	}
	s := &series{family: famName, kind: kind, labels: make([]Label, len(keys))}
	for i, k := range keys {
		s.labels[i] = Label{Name: strings.Clone(k), Value: strings.Clone(labels[k])}
	}
	if kind == KindGauge {
		s.gauge = p.set.GetOrCreateGauge(key, nil)
	} else {
		s.counter = p.set.GetOrCreateFloatCounter(key)
	}
	s.cost = cost
	p.series[key] = s
	p.bytes += cost
	return s, nil
}

// seriesKey returns the text form of the series name{plugin,labels},
// keys being the label names sorted. It is built afresh, so it shares no
// bytes with the plugin's strings.
func (p *PluginMetrics) seriesKey(name string, keys []string, labels map[string]string) string {
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
	return b.String()
}

// Delete removes the series name{labels}, which then disappears from
// /metrics, and frees its place under the series and byte limits; a
// counter written again later starts from 0. It reports whether there
// was such a series. The family stays claimed while the plugin is
// loaded.
func (p *PluginMetrics) Delete(name string, labels map[string]string) bool {
	if len(labels) > MaxLabels {
		return false // no series has that many
	}
	keys := make([]string, 0, len(labels))
	for k := range labels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	key := p.seriesKey(name, keys, labels)
	p.mu.Lock()
	defer p.mu.Unlock()
	s := p.series[key]
	if s == nil {
		return false
	}
	p.set.UnregisterMetric(key)
	delete(p.series, key)
	p.bytes -= s.cost
	p.gen.Add(1)
	return true
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
// family with one HELP and TYPE line each, in Prometheus text format. A
// family's type is the kind its plugins gave it (fam, which may be nil,
// keeps plugins from giving one name two kinds and is asked only for a
// family none of sets knows).
func WritePrometheus(w io.Writer, fam *Families, sets []*PluginMetrics) {
	sc := exposition.Get().(*expositionScratch)
	defer exposition.Put(sc)
	sc.buf.Reset()
	if sc.kinds == nil {
		sc.kinds = map[string]string{}
	}
	clear(sc.kinds)
	for _, p := range sets {
		p.mu.Lock()
		p.set.WritePrometheus(&sc.buf)
		for _, s := range p.series {
			sc.kinds[s.family] = s.kind
		}
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
			kind := sc.kinds[string(l.name)]
			if kind == "" && fam != nil {
				kind = fam.kind(string(l.name))
			}
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
	kinds map[string]string // family → kind
}

// familyLine is one sample line of an exposition and its family's name.
type familyLine struct{ name, line []byte }

var exposition = sync.Pool{New: func() any { return new(expositionScratch) }}

// finite reports whether v can be exported.
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
