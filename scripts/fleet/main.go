package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"
	"time"
)

func main() {
	os.Exit(cmdFleet(os.Args[1:]))
}

// options are the command's flags.
type options struct {
	n        int
	duration time.Duration
	interval time.Duration
	bin      string
	repo     string
	push     bool
	keep     bool
}

func cmdFleet(args []string) int {
	fs := flag.NewFlagSet("fleet", flag.ContinueOnError)
	var o options
	fs.IntVar(&o.n, "n", 50, "number of agents")
	fs.DurationVar(&o.duration, "duration", 60*time.Second, "how long the fleet runs once every agent is up")
	fs.DurationVar(&o.interval, "interval", 10*time.Second, "every bundled plugin's interval, the push interval and the scrape interval")
	fs.StringVar(&o.bin, "bin", "", "heimnetz `binary` to run (default: go build ./agent into the temporary directory)")
	fs.StringVar(&o.repo, "repo", ".", "the heimnetz source tree (for the build and the bundled plugins' names)")
	fs.BoolVar(&o.push, "push", true, "agents push to VictoriaMetrics (false: VictoriaMetrics gets nothing, only Prometheus scrapes)")
	fs.BoolVar(&o.keep, "keep", false, "keep the temporary directory (logs, configs, both stores' data)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	switch {
	case o.n < 1 || o.n > 500:
		fmt.Fprintln(os.Stderr, "fleet: -n must be 1 to 500")
		return 2
	case o.interval < time.Second || o.duration < 2*o.interval:
		fmt.Fprintln(os.Stderr, "fleet: -interval at least 1s and -duration at least two intervals")
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	ok, err := run(ctx, o)
	if err != nil {
		fmt.Fprintln(os.Stderr, "fleet:", err)
		return 1
	}
	if !ok {
		return 1
	}
	return 0
}

// run starts the stores and the agents, lets them run, reports, and stops
// everything it started whatever happens. ok is false when an agent's
// series are missing from a store.
func run(ctx context.Context, o options) (ok bool, err error) {
	for _, tool := range []string{"victoria-metrics", "prometheus"} {
		if _, err := exec.LookPath(tool); err != nil {
			return false, fmt.Errorf("%s not found: sudo apt-get install -y victoria-metrics prometheus", tool)
		}
	}
	plugins, err := bundledPlugins(o.repo)
	if err != nil {
		return false, err
	}
	tmp, err := os.MkdirTemp("", "heimnetz-fleet-")
	if err != nil {
		return false, err
	}
	if o.keep {
		defer fmt.Println("kept:", tmp)
	} else {
		defer os.RemoveAll(tmp)
	}
	if o.bin == "" {
		o.bin = filepath.Join(tmp, "heimnetz")
		build := exec.CommandContext(ctx, "go", "build", "-o", o.bin, "./agent")
		build.Dir, build.Env = o.repo, append(os.Environ(), "CGO_ENABLED=0")
		if out, err := build.CombinedOutput(); err != nil {
			return false, fmt.Errorf("go build ./agent: %v\n%s", err, out)
		}
	}

	ps := &processes{}
	defer func() {
		if unclean := ps.stopAll(20 * time.Second); len(unclean) > 0 {
			fmt.Fprintf(os.Stderr, "fleet: %d processes did not stop cleanly: %v\n", len(unclean), unclean)
		}
	}()
	ports, err := freePorts(o.n + 2)
	if err != nil {
		return false, err
	}
	vm, err := startVictoriaMetrics(ps, tmp, ports[o.n])
	if err != nil {
		return false, err
	}
	prom, err := startPrometheus(ps, tmp, o.interval, ports[o.n+1])
	if err != nil {
		return false, err
	}
	pushURL := ""
	if o.push {
		pushURL = vm.base + "/api/v1/import/prometheus"
	}

	started := time.Now()
	agents := make([]*agent, o.n)
	for i := range agents {
		if agents[i], err = startAgent(ps, o.bin, tmp, i+1, ports[i], plugins, o.interval, pushURL); err != nil {
			return false, err
		}
	}
	if err := allReady(agents); err != nil {
		return false, err
	}
	if err := writeTargets(tmp, agents); err != nil {
		return false, err
	}
	fmt.Printf("fleet: %d agents up in %v (bundled plugins, %d each, every %v; push %v), victoria-metrics %s, prometheus %s\n",
		o.n, time.Since(started).Round(time.Millisecond), len(plugins), o.interval, o.push, vm.base, prom.base)

	// The ingest rates are taken over the run after a warm-up of two
	// intervals (first pushes, Prometheus reading its target file), or
	// half the run when that is shorter.
	warmUp := min(2*o.interval, o.duration/2)
	if !sleep(ctx, warmUp) {
		return false, ctx.Err()
	}
	before, err := ingestSample(vm, prom)
	if err != nil {
		return false, err
	}
	if !sleep(ctx, o.duration-warmUp) {
		return false, ctx.Err()
	}
	after, err := ingestSample(vm, prom)
	if err != nil {
		return false, err
	}
	r, err := collect(o, agents, vm, prom)
	if err != nil {
		return false, err
	}
	r.ingest(before, after)
	r.print(os.Stdout)
	return r.ok(), nil
}

// allReady waits for every agent's /healthz, in parallel.
func allReady(agents []*agent) error {
	errs := make([]error, len(agents))
	var wg sync.WaitGroup
	for i, a := range agents {
		wg.Go(func() { errs[i] = a.ready() })
	}
	wg.Wait()
	return errors.Join(errs...)
}

// sleep waits d, or less when ctx ends first (then it returns false).
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
