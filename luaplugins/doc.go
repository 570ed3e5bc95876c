// Package luaplugins runs heimnetz's Lua plugins.
//
// A plugin is a directory with a manifest.yml and a main.lua (or, under
// `heimnetz plugin run`, a bare .lua file). Its manifest is parsed and
// validated before any of its code runs (ParseManifest). Load opens a
// gopher-lua state holding only the safe parts of the standard library
// and the host modules the manifest's permissions grant, meters it with
// the engine's Meter so every limit in package limits is a real cap, runs
// the top-level chunk once, and returns a *Plugin whose Collect runs
// collect() under the same limits.
//
// Host modules (log, kv, metrics, board) are registered in one Registry
// together with their documentation and the permission each needs; the
// sandbox, the docs generator and the static checker all read it.
//
// Output bounds. Every string a plugin hands the host that ends up in a
// log line, a security event, an error or a page (log and print lines,
// error values, kv keys quoted in errors, limit reports, manifest fields)
// is bounded and cleaned by package oneline before it is formatted, so a
// value shows as one line that reads as written and never as megabytes.
// Manifest descriptions are refused, not cleaned, when oneline would
// change them. json.encode counts each byte it writes, escapes included,
// against its 1 MiB bound and refuses tables whose keys would collide in
// JSON (1 and "1"); json.decode builds Lua values directly, charging each
// table and string to the plugin's meter while the partial result stays
// reachable from the stack, so a crafted document stops at the memory cap.
//
// Metric names follow one rule, ValidateMetricName and ValidateLabelName:
// metrics.set/add refuse what it refuses, `plugin check` reports the same
// names as high, and the docs print MetricNamingRules. The rule is
// promtool's linter plus the agent's reserved prefixes and labels, and
// testdata/metricnames.txt runs every case through both the rule and the
// real `promtool check metrics`, so /metrics passes promtool whatever
// plugins export. The exceptions are NodeExporterName: node_exporter's
// and prometheus-node-exporter-lua's own meminfo, netstat, entropy and
// wifi_stations names, which promtool lints (camelCase, bits, kilobits,
// milliseconds; NodeExporterLint says which) but dashboards expect, and
// BundledAgentName, a short list of heimnetz_ names; they are accepted by
// ValidateBundledMetricName for a plugin whose Source.Origin is
// OriginBundled (read by ReadBundled) and by nothing else: not at run time
// for installed or local plugins, not by `plugin check`.
// testdata/nodeexporternames.txt holds its cases.
//
// Client identity. The clients module hands plugins MAC addresses, host
// names and DHCP client ids only as Env.Identity allows: by default they
// are removed, with a key they become stable keyed hashes, and only an
// owner who exposes them lets plugins see them (see Identity). What the metrics host keeps of a plugin's strings
// outlives the call in agent-wide structures, so it keeps copies only
// (never a slice of a Lua string, which would keep the whole parent
// alive) and bounds them: the series limit, MaxPluginFamilies and
// MaxFamilies, and a byte budget of MetricBytesPerSeries per allowed
// series that counts the strings and the per-series bookkeeping; the
// kept bytes are shown as the plugin's "metric names and labels" limit.
package luaplugins
