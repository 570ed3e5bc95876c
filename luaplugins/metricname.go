package luaplugins

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// The rules below are the one statement of what a plugin may call its
// metrics and labels. The runtime (metrics.set/add), `plugin check` and
// the docs all read them, and luaplugins/testdata/metricnames.txt runs
// every row through both ValidateMetricName and the real `promtool check
// metrics`, so a name the agent accepts is one promtool's linter accepts
// too; the only exception, NodeExporterName, is open to bundled plugins
// alone (testdata/nodeexporternames.txt). Where promtool's linter splits
// a name into parts or matches a suffix, the same matching is done here,
// not a looser one.

// MaxMetricNameBytes is the longest metric or label name a plugin may use.
const MaxMetricNameBytes = 100

// MaxLabels is the most labels one plugin series may carry (besides the
// plugin label the agent adds).
const MaxLabels = 8

// reservedMetricPrefixes are the agent's own families (and those of the
// metrics library it links); a plugin may not write into them.
var reservedMetricPrefixes = []string{"heimnetz_", "go_", "process_", "flag_"}

// reservedLabels are label names a plugin may not set: plugin is added by
// the agent to every plugin series; le belongs to histograms and quantile
// to summaries, and promtool lints either on a gauge or a counter.
var reservedLabels = []string{"plugin", "le", "quantile"}

// typeWords are the metric types promtool's linter refuses inside a name,
// as a part (_gauge_) or a suffix (_gauge). Its gauge_histogram is
// covered by gauge.
var typeWords = []string{"counter", "gauge", "histogram", "summary"}

// reservedSuffixes are the sample suffixes of histograms and summaries;
// promtool refuses them on gauges and counters.
var reservedSuffixes = []string{"_bucket", "_count", "_sum"}

// unitAbbreviations are abbreviated units promtool's linter refuses as a
// part or a suffix of a name.
var unitAbbreviations = []string{"s", "ms", "us", "ns", "sec", "b", "kb", "mb", "gb", "tb", "pb", "m", "h", "d"}

// nonBaseUnits are units promtool's linter knows and the base unit it
// asks for instead. A name part equal to one of them, with or without a
// prefix, or to a base unit with a prefix, is refused.
var nonBaseUnits = []struct{ unit, base string }{
	{"minutes", "seconds"}, {"hours", "seconds"}, {"days", "seconds"},
	{"fahrenheit", "celsius"}, {"rankine", "kelvin"},
	{"inches", "meters"}, {"yards", "meters"}, {"miles", "meters"},
	{"bits", "bytes"}, {"calories", "joules"},
	{"pounds", "grams"}, {"ounces", "grams"},
}

// baseUnits are the units promtool's linter accepts without a prefix.
var baseUnits = []string{"amperes", "bytes", "candela", "grams", "celsius", "kelvin", "kelvins", "meters", "metres", "moles", "seconds", "joules"}

// unitPrefixes are the SI and binary prefixes promtool's linter
// recognises in front of a unit.
var unitPrefixes = []string{"pico", "nano", "micro", "milli", "centi", "deci", "deca", "hecto", "kilo", "kibi", "mega", "mibi", "giga", "gibi", "tera", "tebi", "peta", "pebi"}

// ValidateMetricName reports whether a plugin may export a metric called
// name of kind (KindGauge or KindCounter). The error wraps ErrMetric and
// says which rule the name breaks. A nil error means `promtool check
// metrics` accepts the family without a lint complaint.
func ValidateMetricName(name, kind string) error {
	return validateMetricName(name, kind, false)
}

// ValidateBundledMetricName is ValidateMetricName for a bundled plugin:
// it also accepts the names NodeExporterName allows, which pass every
// rule except lowercase (promtool's camelCase lint) and, for the names in
// nodeExporterUnits, the base unit (promtool's lint on bits, kilobits,
// milliseconds), and the heimnetz_ names BundledAgentName allows. Only
// the agent's own bundled plugins are validated with it, never installed
// or local ones.
func ValidateBundledMetricName(name, kind string) error {
	return validateMetricName(name, kind, true)
}

func validateMetricName(name, kind string, bundled bool) error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: %s %q %s", ErrMetric, kind, clip(name, 40), fmt.Sprintf(format, a...))
	}
	if kind != KindGauge && kind != KindCounter {
		return fmt.Errorf("%w: unknown kind %q", ErrMetric, kind)
	}
	// An exempt name is checked as promtool checks it: its type words
	// and abbreviations in lowercase, its units as spelled; only the
	// camelCase and (for node_entropy_*_bits) the bits lints are waived.
	exempt := bundled && NodeExporterName(name)
	checked := name
	if exempt {
		checked = strings.ToLower(name)
	}
	if err := lowerSnake(checked); err != "" {
		return bad("%s", err)
	}
	for _, p := range reservedMetricPrefixes {
		if strings.HasPrefix(name, p) && !(bundled && BundledAgentName(name)) {
			return bad("uses the agent's reserved prefix %s", p)
		}
	}
	switch {
	case kind == KindCounter && !strings.HasSuffix(name, "_total"):
		return bad("must end in _total (counters do)")
	case kind == KindGauge && strings.HasSuffix(name, "_total"):
		return bad("must not end in _total (use metrics.add for counters)")
	}
	for _, s := range reservedSuffixes {
		if strings.HasSuffix(name, s) {
			return bad("must not end in %s (histograms and summaries use it)", s)
		}
	}
	// promtool matches type words and abbreviations as "_word_" or a
	// "_word" suffix: a part of the name after its first.
	i := 0
	for part := range strings.SplitSeq(name, "_") {
		lower := strings.ToLower(part)
		if i > 0 {
			if slices.Contains(typeWords, lower) {
				return bad("must not name its type (%s)", part)
			}
			if slices.Contains(unitAbbreviations, lower) {
				return bad("must not use the abbreviated unit _%s (spell the base unit: seconds, bytes, meters)", part)
			}
		}
		if base, ok := nonBaseUnit(part); ok && !(exempt && nodeExporterUnits[name] == part) {
			return bad("must use the base unit %s instead of %s", base, part)
		}
		i++
	}
	return nil
}

// NodeExporterName reports whether name is one of the node_exporter or
// prometheus-node-exporter-lua family names that promtool's linter
// refuses but that the bundled collectors must export unchanged, so that
// existing dashboards work against heimnetz:
//
//   - node_memory_<Field>_bytes, Field a /proc/meminfo field as
//     node_exporter renames it ("Active(anon)" → Active_anon): a letter,
//     then letters, digits and single underscores (camelCase lint);
//   - node_memory_HugePages_Total, _Free, _Rsvd and _Surp, without a
//     unit as node_exporter exports them (camelCase lint);
//   - node_netstat_<Protocol>_<Field> for the fields node_exporter's
//     netstat collector exports by default (its --collector.netstat.fields
//     default, NetstatDefaultField), Protocol one the kernel's
//     /proc/net/netstat, snmp and snmp6 name (camelCase lint);
//   - the names in nodeExporterUnits, which spell a unit the way their
//     exporter does rather than a base unit (node_entropy_*_bits,
//     prometheus-node-exporter-lua's wifi_station_inactive_milliseconds
//     and *_kilobits_per_second).
//
// Nothing else matches. Only bundled plugins may use these names (see
// ValidateBundledMetricName); the name must still pass every other rule.
func NodeExporterName(name string) bool {
	switch name {
	case "node_memory_HugePages_Total", "node_memory_HugePages_Free",
		"node_memory_HugePages_Rsvd", "node_memory_HugePages_Surp":
		return true
	}
	if _, ok := nodeExporterUnits[name]; ok {
		return true
	}
	if key, ok := strings.CutPrefix(name, "node_netstat_"); ok {
		return NetstatDefaultField(key)
	}
	field, ok := strings.CutPrefix(name, "node_memory_")
	if !ok {
		return false
	}
	if field, ok = strings.CutSuffix(field, "_bytes"); !ok || strings.HasPrefix(field, "HugePages_") {
		return false
	}
	return meminfoField(field)
}

// nodeExporterUnits are the exporters' names that spell a unit promtool
// asks to replace by its base unit, with that unit.
var nodeExporterUnits = map[string]string{
	"node_entropy_available_bits":                          "bits",
	"node_entropy_pool_size_bits":                          "bits",
	"wifi_station_inactive_milliseconds":                   "milliseconds",
	"wifi_station_expected_throughput_kilobits_per_second": "kilobits",
	"wifi_station_transmit_kilobits_per_second":            "kilobits",
	"wifi_station_receive_kilobits_per_second":             "kilobits",
}

// netstatProtocols are the protocols of /proc/net/netstat, /proc/net/snmp
// and /proc/net/snmp6 (the latter split after the '6', as node_exporter
// does) that have a field node_exporter exports by default.
var netstatProtocols = []string{"Icmp", "Icmp6", "Ip", "Ip6", "IpExt", "Tcp", "TcpExt", "Udp", "Udp6", "UdpLite", "UdpLite6"}

// netstatDefaultFields is node_exporter's default for
// --collector.netstat.fields, matched against "<Protocol>_<Field>".
var netstatDefaultFields = regexp.MustCompile(`^(.*_(InErrors|InErrs)|Ip_Forwarding|Ip(6|Ext)_(InOctets|OutOctets)|Icmp6?_(InMsgs|OutMsgs)|TcpExt_(Listen.*|Syncookies.*|TCPSynRetrans|TCPTimeouts|TCPOFOQueue|TCPRcvQDrop)|Tcp_(ActiveOpens|InSegs|OutSegs|OutRsts|PassiveOpens|RetransSegs|CurrEstab)|Udp6?_(InDatagrams|OutDatagrams|NoPorts|RcvbufErrors|SndbufErrors))$`)

// NetstatDefaultField reports whether key, "<Protocol>_<Field>" as in
// node_netstat_Tcp_CurrEstab, is one node_exporter's netstat collector
// exports by default: Protocol one of the kernel's, Field letters and
// digits, and the two matching node_exporter's default field pattern.
func NetstatDefaultField(key string) bool {
	proto, field, ok := strings.Cut(key, "_")
	if !ok || !slices.Contains(netstatProtocols, proto) || field == "" || !isLetter(field[0]) {
		return false
	}
	for i := 0; i < len(field); i++ {
		if c := field[i]; !isLetter(c) && (c < '0' || c > '9') {
			return false
		}
	}
	return netstatDefaultFields.MatchString(key)
}

// NodeExporterLint reports whether a line of `promtool check metrics`
// output is a lint NodeExporterName exempts, about such a name: the
// camelCase lint, or the base-unit lint on the unit nodeExporterUnits
// lists for it. Tests that run promtool over /metrics tolerate exactly
// these.
func NodeExporterLint(line string) bool {
	name, said, _ := strings.Cut(line, " ")
	if !NodeExporterName(name) {
		return false
	}
	if said == "metric names should be written in 'snake_case' not 'camelCase'" {
		return true
	}
	unit, ok := nodeExporterUnits[name]
	if !ok {
		return false
	}
	base, _ := nonBaseUnit(unit)
	return said == fmt.Sprintf("use base unit %q instead of %q", base, unit)
}

// bundledAgentNames are heimnetz_ families the bundled plugins export for
// what neither node_exporter nor prometheus-node-exporter-lua measures.
// The agent itself never uses them.
var bundledAgentNames = []string{
	"heimnetz_dhcp_lease_info", "heimnetz_dhcp_leases",
	"heimnetz_wan_up", "heimnetz_wan_info",
	"heimnetz_client_flow_transmit_bytes", "heimnetz_client_flow_receive_bytes", "heimnetz_client_flows",
	"heimnetz_conntrack_accounting",
}

// BundledAgentName reports whether name is one of the heimnetz_ families
// a bundled plugin may export although the prefix is the agent's; no
// other plugin may.
func BundledAgentName(name string) bool { return slices.Contains(bundledAgentNames, name) }

// meminfoField reports whether f is a /proc/meminfo field name as
// node_exporter spells it in a metric name: a letter, then letters and
// digits in parts joined by single underscores.
func meminfoField(f string) bool {
	if f == "" || !isLetter(f[0]) || strings.HasSuffix(f, "_") || strings.Contains(f, "__") {
		return false
	}
	for i := 0; i < len(f); i++ {
		if c := f[i]; !isLetter(c) && (c < '0' || c > '9') && c != '_' {
			return false
		}
	}
	return true
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// nonBaseUnit reports whether a name part is a unit promtool asks to
// replace, and by which base unit.
func nonBaseUnit(part string) (string, bool) {
	for _, u := range nonBaseUnits {
		if prefix, ok := strings.CutSuffix(part, u.unit); ok && (prefix == "" || slices.Contains(unitPrefixes, prefix)) {
			return u.base, true
		}
	}
	for _, u := range baseUnits {
		if prefix, ok := strings.CutSuffix(part, u); ok && prefix != "" && slices.Contains(unitPrefixes, prefix) {
			return u, true
		}
	}
	return "", false
}

// ValidateLabelName reports whether a plugin may use name as a label
// name. The error wraps ErrMetric.
func ValidateLabelName(name string) error {
	if err := lowerSnake(name); err != "" {
		return fmt.Errorf("%w: label name %q %s", ErrMetric, clip(name, 40), err)
	}
	for _, r := range reservedLabels {
		if name == r {
			return fmt.Errorf("%w: label name %s is reserved (plugin is set by the agent, le and quantile belong to histograms and summaries)", ErrMetric, name)
		}
	}
	return nil
}

// ValidateLabelValue reports whether v may be a label value of at most
// maxBytes bytes: Prometheus refuses a scrape with invalid UTF-8 in it.
func ValidateLabelValue(label, v string, maxBytes int) error {
	if len(v) > maxBytes {
		return fmt.Errorf("%w: value of label %s is %d bytes, at most %d are allowed", ErrMetric, clip(label, 40), len(v), maxBytes)
	}
	if !utf8.ValidString(v) {
		return fmt.Errorf("%w: value of label %s is not valid UTF-8", ErrMetric, clip(label, 40))
	}
	return nil
}

// LabelText returns s as a value ValidateLabelValue accepts for a limit
// of maxBytes: invalid UTF-8 replaced by U+FFFD, then cut on a character
// boundary to at most maxBytes bytes. Only the first 4*maxBytes bytes of
// s are looked at, so a huge s costs no more than a short one.
func LabelText(s string, maxBytes int) string {
	if maxBytes <= 0 {
		return ""
	}
	if len(s) > 4*maxBytes {
		s = s[:4*maxBytes]
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	if len(s) <= maxBytes {
		return s
	}
	cut := maxBytes
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}

// lowerSnake checks the syntax shared by metric and label names and
// returns what is wrong, or "".
func lowerSnake(name string) string {
	if name == "" {
		return "is empty"
	}
	if len(name) > MaxMetricNameBytes {
		return fmt.Sprintf("is %d bytes long, at most %d are allowed", len(name), MaxMetricNameBytes)
	}
	if name[0] < 'a' || name[0] > 'z' {
		return "must start with a lowercase letter a-z"
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '_' {
			return "may hold only lowercase letters a-z, digits and _ (snake_case, no colons)"
		}
	}
	return ""
}

// MetricNamingRules states the naming rules ValidateMetricName and
// ValidateLabelName enforce, one sentence each, for the docs.
func MetricNamingRules() []string {
	var units []string
	for _, u := range nonBaseUnits {
		units = append(units, u.unit)
	}
	slices.Sort(units)
	return []string{
		fmt.Sprintf("Metric and label names are lowercase snake_case: a letter a-z, then a-z, 0-9 or _, at most %d bytes (no colons, no camelCase).", MaxMetricNameBytes),
		"Counters (metrics.add) end in _total; gauges (metrics.set) do not.",
		"Names may not start with " + strings.Join(reservedMetricPrefixes, ", ") + " (the agent's own families).",
		"Names may not end in " + strings.Join(reservedSuffixes, ", ") + " (histogram and summary samples) nor contain a type word as a part: " + strings.Join(typeWords, ", ") + ".",
		"Units are spelled as base units (seconds, bytes, meters, grams, joules, celsius, ...): no abbreviated part (_" + strings.Join(unitAbbreviations, ", _") + "), no prefixed unit (milliseconds, kilobytes, ...) and none of " + strings.Join(units, ", ") + ".",
		fmt.Sprintf("At most %d labels; label names may not be %s; label values are valid UTF-8 within the plugin's label length limit.", MaxLabels, strings.Join(reservedLabels, ", ")),
	}
}
