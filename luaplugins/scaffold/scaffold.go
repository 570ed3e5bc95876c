package scaffold

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/heimnetz/heimnetz/limits"
	"github.com/heimnetz/heimnetz/luaplugins"
)

//go:embed templates
var templateFS embed.FS

// Template describes one plugin template.
type Template struct {
	Name        string
	Summary     string
	Description string // the manifest description it writes
	Permissions []string
	Interval    string
	Metrics     []string // metric name suffixes, after the plugin's prefix
}

// DefaultTemplate is the template `plugin new` uses without --template.
const DefaultTemplate = "basic"

// FirstVersion is the version a new plugin's manifest starts at.
const FirstVersion = "0.1.0"

var templates = []Template{
	{Name: "basic", Summary: "counts its runs and logs a line: the smallest plugin",
		Description: "Counts its own runs", Permissions: []string{"log", "metrics"}, Interval: "30s",
		Metrics: []string{"runs_total"}},
	{Name: "metrics", Summary: "memory and load gauges from board data",
		Description: "Memory use and load of the router", Permissions: []string{"board", "metrics"}, Interval: "15s",
		Metrics: []string{"memory_used_ratio", "memory_available_bytes", "load"}},
	{Name: "http", Summary: "the uplink as the router sees it; explains why plugins have no network access",
		Description: "WAN interface counters and whether traffic moves", Permissions: []string{"board", "json", "log", "metrics"}, Interval: "30s",
		Metrics: []string{"wan_present", "wan_receive_bytes", "wan_transmit_bytes", "wan_traffic_moving"}},
	{Name: "stateful", Summary: "keeps a run count and a peak in kv across restarts",
		Description: "Run count and peak load kept across restarts", Permissions: []string{"board", "kv", "metrics"}, Interval: "1m",
		Metrics: []string{"runs", "peak_load"}},
}

// Templates returns every template, in the order `plugin new -h` lists them.
func Templates() []Template { return append([]Template(nil), templates...) }

// ErrExists is returned when the plugin's directory already exists.
var ErrExists = errors.New("already exists")

// ErrName is returned for a name that is not a valid plugin name.
var ErrName = errors.New("invalid plugin name")

var limitMeanings = map[string]string{
	limits.KeyInstructions: "Lua VM instructions per call",
	limits.KeyMemory:       "bytes of Lua values the plugin's state may hold",
	limits.KeyTimeout:      "wall time per call",
	limits.KeyCPU:          "share of one core, averaged over a minute",
	limits.KeyDepth:        "nested calls that re-enter the VM (pcall, metamethods)",
}

// Write creates directory parent/name holding a new plugin made from the
// template tmpl, and returns its path. The name must be a valid plugin
// name (it becomes the directory name, so no path can escape parent); an
// existing directory is never touched. Files are written to a temporary
// directory first and renamed into place. program is how the user runs
// heimnetz (the binary passes its own invocation name, e.g.
// bin/heimnetz): the README's commands start with it, so they run as
// written.
func Write(parent, name, tmpl, program string) (string, error) {
	var t *Template
	for i := range templates {
		if templates[i].Name == tmpl {
			t = &templates[i]
		}
	}
	if t == nil {
		return "", fmt.Errorf("unknown template %q (known: %s)", tmpl, strings.Join(names(), ", "))
	}
	if err := checkName(name); err != nil {
		return "", err
	}
	dir := filepath.Join(parent, name)
	if _, err := os.Lstat(dir); err == nil {
		return "", fmt.Errorf("%s: %w", dir, ErrExists)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return "", err
	}
	files, err := Render(name, *t, program)
	if err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp(parent, "."+name+".new-")
	if err != nil {
		return "", err
	}
	for _, f := range []string{luaplugins.ManifestFile, luaplugins.MainFile, luaplugins.TestFile, luaplugins.ReadmeFile} {
		if err := os.WriteFile(filepath.Join(tmp, f), files[f], 0o644); err != nil {
			os.RemoveAll(tmp)
			return "", err
		}
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.RemoveAll(tmp)
		return "", err
	}
	if err := os.Rename(tmp, dir); err != nil {
		os.RemoveAll(tmp)
		return "", err
	}
	return dir, nil
}

// checkName validates name with the manifest parser's own rule.
func checkName(name string) error {
	_, err := luaplugins.ParseManifest([]byte("name: "+quoteYAML(name)+"\nversion: 0.1.0\n"), "", nil, limits.Ceilings())
	if err != nil {
		return fmt.Errorf("%w %q: must match [a-z][a-z0-9-]{0,31}", ErrName, name)
	}
	return nil
}

func quoteYAML(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

func names() []string {
	var out []string
	for _, t := range templates {
		out = append(out, t.Name)
	}
	return out
}

// Render returns the files of a new plugin named name from template t,
// keyed by file name; program is as for Write ("heimnetz" when empty).
func Render(name string, t Template, program string) (map[string][]byte, error) {
	if program == "" {
		program = "heimnetz"
	}
	def, ceil := limits.Defaults(), limits.Ceilings()
	var rows []string
	for _, k := range []string{limits.KeyInstructions, limits.KeyMemory, limits.KeyTimeout, limits.KeyCPU, limits.KeyDepth} {
		rows = append(rows, fmt.Sprintf("#   %-14s %-12s %-12s %s", k, def.Format(k), ceil.Format(k), limitMeanings[k]))
	}
	metric := strings.ReplaceAll(name, "-", "_")
	var metricNames []string
	for _, m := range t.Metrics {
		// The plugin's name prefixes its metrics, so a name can make one
		// the runtime refuses (ping-ms: ping_ms_runs_total); refuse it
		// here rather than scaffold a plugin that fails its first run.
		kind := luaplugins.KindGauge
		if strings.HasSuffix(m, "_total") {
			kind = luaplugins.KindCounter
		}
		if err := luaplugins.ValidateMetricName(metric+"_"+m, kind); err != nil {
			return nil, fmt.Errorf("plugin name %s makes a metric name the runtime refuses; choose another name: %w", name, err)
		}
		metricNames = append(metricNames, "`"+metric+"_"+m+"`")
	}
	data := map[string]any{
		"Name": name, "Template": t.Name, "Version": FirstVersion, "Program": program,
		"Archive": luaplugins.PackageFile(name, FirstVersion), "Description": t.Description, "Interval": t.Interval,
		"Permissions": strings.Join(t.Permissions, ", "), "Metric": metric, "Metrics": strings.Join(metricNames, ", "),
		"Known":           strings.Join(luaplugins.NewRegistry().Permissions(), ", "),
		"DefaultInterval": luaplugins.DefaultInterval.String(), "MinInterval": luaplugins.MinInterval.String(),
		"LimitRows": strings.Join(rows, "\n"),
		// The template asks for less than the defaults: a plugin this
		// small needs a fraction, and tight limits stop a bug early.
		"Instructions": def.Instructions / 10, "Memory": limits.FormatSize(def.Memory / 4), "Timeout": (def.Timeout / 2).String(),
		"DefaultCPU": def.Format(limits.KeyCPU), "DefaultDepth": def.Format(limits.KeyDepth),
	}
	out := map[string][]byte{}
	for file, src := range map[string]string{
		luaplugins.ManifestFile: "templates/manifest.yml.tmpl",
		luaplugins.ReadmeFile:   "templates/README.md.tmpl",
		luaplugins.MainFile:     "templates/" + t.Name + "/main.lua",
		luaplugins.TestFile:     "templates/" + t.Name + "/test.lua",
	} {
		text, err := templateFS.ReadFile(src)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", t.Name, err)
		}
		b, err := expand(string(text), data)
		if err != nil {
			return nil, fmt.Errorf("template %s/%s: %w", t.Name, file, err)
		}
		out[file] = []byte(b)
	}
	return out, nil
}

// expand replaces every {{.Key}} in text with data's value for Key. It
// stands in for text/template, whose reflection-based method calls make
// the linker keep every exported method in the binary (~3 MB on MIPS); an
// unknown key is an error, as missingkey=error was.
func expand(text string, data map[string]any) (string, error) {
	var b strings.Builder
	for {
		i := strings.Index(text, "{{.")
		if i < 0 {
			b.WriteString(text)
			return b.String(), nil
		}
		j := strings.Index(text[i:], "}}")
		if j < 0 {
			return "", fmt.Errorf("unclosed {{ at byte %d", i)
		}
		key := text[i+3 : i+j]
		v, ok := data[key]
		if !ok {
			return "", fmt.Errorf("no value for {{.%s}}", key)
		}
		b.WriteString(text[:i])
		fmt.Fprint(&b, v)
		text = text[i+j+2:]
	}
}
