package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/heimnetz/heimnetz/board"
	"github.com/heimnetz/heimnetz/limits"
	"github.com/heimnetz/heimnetz/luaplugins"
	"github.com/heimnetz/heimnetz/store"
)

func cmdPlugin(args []string) int {
	subs := map[string]func([]string) int{
		"run":     cmdPluginRun,
		"new":     cmdPluginNew,
		"check":   cmdPluginCheck,
		"test":    cmdPluginTest,
		"pack":    cmdPluginPack,
		"sign":    cmdPluginSign,
		"verify":  cmdPluginVerify,
		"install": cmdPluginInstall,
	}
	if len(args) == 0 || subs[args[0]] == nil {
		fmt.Fprintf(os.Stderr, "Usage: heimnetz plugin run|new|check|test|pack|sign|verify|install ... (`%s plugin SUB -h` for each)\n", program())
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			return 0
		}
		return 2
	}
	return subs[args[0]](args[1:])
}

// limitFlags collects repeated --limit KEY=VALUE flags.
type limitFlags []string

func (l *limitFlags) String() string     { return strings.Join(*l, ",") }
func (l *limitFlags) Set(v string) error { *l = append(*l, v); return nil }

// runReport is what `plugin run --json` prints for each run.
type runReport struct {
	Run          int               `json:"run"`
	OK           bool              `json:"ok"`
	Error        string            `json:"error,omitempty"`
	Limit        string            `json:"limit,omitempty"`
	DurationMS   float64           `json:"duration_ms"`
	CPUMS        float64           `json:"cpu_ms"`
	Instructions int64             `json:"instructions"`
	MemoryBytes  int64             `json:"memory_bytes"`
	PeakBytes    int64             `json:"peak_memory_bytes"`
	Logs         []string          `json:"logs"`
	Metrics      []string          `json:"metrics"`
	Limits       map[string]string `json:"limits,omitempty"`
}

func cmdPluginRun(args []string) int {
	fs := flag.NewFlagSet("plugin run", flag.ContinueOnError)
	fs.Usage = func() {
		usageOf(fs, "heimnetz plugin run PATH [--times N] [--json] [--limit KEY=VALUE]... [--board DIR]",
			"Load one plugin (a directory with manifest.yml and main.lua, or a bare .lua file with default limits and no permissions), run it once or N times under the agent's sandbox and limits, and print what it produced.\nExit status: 0 ok; 1 the plugin failed or broke a limit; 2 bad usage or an invalid manifest.")
	}
	times := fs.Int("times", 1, "run collect() `N` times")
	asJSON := fs.Bool("json", false, "print one JSON report per run")
	boardRoot := fs.String("board", "/", "root `directory` the board module reads device files from (a fixture tree for testing)")
	exposeIdentity := fs.Bool("expose-client-identity", false, "give the plugin clients' MAC addresses and host names, as the config's expose_client_identity does (default: hashed with a key made for this run)")
	var lims limitFlags
	fs.Var(&lims, "limit", "override a limit for local testing, `KEY=VALUE` (instructions=N, memory=16MiB, timeout=5s, cpu=50%, depth=N); repeatable")
	// Accept flags after PATH too: plugin run x.lua --times 3.
	var path string
	rest := args
	for len(rest) > 0 {
		if err := fs.Parse(rest); err != nil {
			return parseExit(err)
		}
		if fs.NArg() == 0 {
			break
		}
		if path != "" {
			fmt.Fprintf(os.Stderr, "heimnetz plugin run: more than one PATH (%q and %q)\n", path, fs.Arg(0))
			return 2
		}
		path, rest = fs.Arg(0), fs.Args()[1:]
	}
	if path == "" {
		fs.Usage()
		return 2
	}
	if *times < 1 || *times > 1_000_000 {
		fmt.Fprintln(os.Stderr, "heimnetz plugin run: --times must be between 1 and 1000000")
		return 2
	}

	reg := luaplugins.NewRegistry()
	// --limit is for local testing: it may go past the agent's ceilings.
	src, err := luaplugins.ReadPath(path, reg, limits.Limits{Instructions: 1 << 62, Memory: 1 << 40, Timeout: 24 * time.Hour, CPU: 1, Depth: 10_000})
	if err != nil {
		fmt.Fprintln(os.Stderr, "heimnetz plugin run:", err)
		return 2
	}
	if luaplugins.BundledCopy(src, path) {
		src.Origin = luaplugins.OriginBundled // the bundled plugin as it ships
	}
	for _, kv := range lims {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			fmt.Fprintf(os.Stderr, "heimnetz plugin run: --limit %q: want KEY=VALUE\n", kv)
			return 2
		}
		if err := src.Manifest.Limits.Set(k, v); err != nil {
			fmt.Fprintln(os.Stderr, "heimnetz plugin run: --limit:", err)
			return 2
		}
	}

	tmp, err := os.MkdirTemp("", "heimnetz-plugin-run-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "heimnetz plugin run:", err)
		return 1
	}
	defer os.RemoveAll(tmp)
	opts := store.DefaultOptions(tmp)
	opts.LivePath, opts.SnapshotPath = tmp+"/plugin-run.db", ""
	db, err := store.Open(opts)
	if err != nil {
		fmt.Fprintln(os.Stderr, "heimnetz plugin run: store:", err)
		return 1
	}
	defer func() {
		// The store is thrown away, but a failed flush means the plugin's
		// kv writes were not kept as it was told: say so.
		if err := db.Close(); err != nil {
			fmt.Fprintln(os.Stderr, "heimnetz plugin run: store:", err)
		}
	}()
	brd, err := board.New(*boardRoot)
	if err != nil {
		fmt.Fprintln(os.Stderr, "heimnetz plugin run: board:", err)
		return 2
	}
	defer brd.Close()

	out := os.Stdout
	var logs []string
	logf := func(plugin, level, line string) {
		text := line
		if level != luaplugins.LevelInfo {
			text = level + ": " + line
		}
		if *asJSON {
			logs = append(logs, text)
			return
		}
		fmt.Fprintln(out, text)
	}
	env := luaplugins.Env{
		Registry: reg, Log: luaplugins.LogFunc(logf), KV: db.KV(src.Name(), store.QuotaFor(src.Manifest.Limits)),
		Board: brd, Reporter: stderrReporter{},
	}
	if key, err := db.ClientIdentityKey(); err == nil {
		env.Identity = luaplugins.Identity{Expose: *exposeIdentity, Key: key}
	} else {
		fmt.Fprintln(os.Stderr, "heimnetz plugin run: store:", err)
		return 1
	}
	p, stats, err := luaplugins.Load(src, env)
	if err != nil {
		report(out, *asJSON, 0, stats, err, &logs, nil)
		return 1
	}
	defer p.Close()
	if !p.HasCollect() {
		report(out, *asJSON, 0, stats, nil, &logs, p)
		return 0
	}
	for i := 1; i <= *times; i++ {
		stats, err := p.Collect()
		report(out, *asJSON, i, stats, err, &logs, p)
		if err != nil {
			return 1
		}
	}
	return 0
}

// report prints one run: the error line (to stderr) or, with --json, the
// whole report; in text mode the metrics follow the plugin's own output.
func report(out io.Writer, asJSON bool, run int, stats *luaplugins.Stats, err error, logs *[]string, p *luaplugins.Plugin) {
	if stats == nil {
		stats = &luaplugins.Stats{}
	}
	var series []string
	if p != nil {
		var b strings.Builder
		luaplugins.WritePrometheus(&b, luaplugins.NewFamilies(), []*luaplugins.PluginMetrics{p.Metrics()})
		for _, l := range strings.Split(strings.TrimSpace(b.String()), "\n") {
			if l != "" && !strings.HasPrefix(l, "#") {
				series = append(series, l)
			}
		}
	}
	if asJSON {
		r := runReport{Run: run, OK: err == nil, DurationMS: ms(stats.Duration), CPUMS: ms(stats.CPU),
			Instructions: stats.Instructions, MemoryBytes: stats.Memory, PeakBytes: stats.PeakMemory, Logs: *logs, Metrics: series}
		if r.Logs == nil {
			r.Logs = []string{}
		}
		if r.Metrics == nil {
			r.Metrics = []string{}
		}
		if err != nil {
			r.Error = err.Error()
			var v *limits.Violation
			if errors.As(err, &v) {
				r.Limit = v.Name()
			}
		}
		*logs = nil
		json.NewEncoder(out).Encode(r)
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return
	}
	for _, s := range series {
		fmt.Fprintln(out, s)
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// stderrReporter prints output-limit hits under `plugin run`.
type stderrReporter struct{}

func (stderrReporter) LimitHit(plugin, what, detail string) {
	fmt.Fprintf(os.Stderr, "plugin %q: %s: %s\n", plugin, what, detail)
}
