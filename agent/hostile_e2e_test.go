package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/heimnetz/heimnetz/limits"
	"github.com/heimnetz/heimnetz/luaplugins"
	"github.com/heimnetz/heimnetz/luaplugins/corpus"
)

// The hostile plugin corpus (luaplugins/testdata/hostile) through the real
// binary and a running agent.

// TestPluginRunHostileCorpus runs every flat hostile script (read by
// corpus.ReadFlat) through the real binary: each exits 1 with one line
// naming its limit or Lua error, never a Go crash.
func TestPluginRunHostileCorpus(t *testing.T) {
	requireBinary(t)
	cases, err := corpus.ReadFlat("../luaplugins/testdata/hostile")
	if err != nil || len(cases) < 50 {
		t.Fatalf("hostile corpus has %d flat cases (%v)", len(cases), err)
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			want := c.Expect
			cmd := exec.Command(binary, "plugin", "run", c.Path, "--limit", "instructions=3000000")
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			peak, err := runPeakRSS(cmd)
			code := cmd.ProcessState.ExitCode()
			if code != 1 {
				t.Fatalf("exit %d (%v), want 1\nstderr: %s", code, err, stderr.String())
			}
			errText := strings.TrimSpace(stderr.String())
			if strings.Contains(errText, "panic:") || strings.Contains(errText, "fatal error:") || strings.Contains(errText, "goroutine ") {
				t.Fatalf("Go crash:\n%s", errText)
			}
			lines := strings.Split(errText, "\n")
			last := lines[len(lines)-1]
			if !want.MatchString(last) {
				t.Errorf("last stderr line %q does not match %q", last, want)
			}
			if peak > 200<<20 {
				t.Errorf("peak RSS %d MiB", peak>>20)
			}
		})
	}
}

// TestPluginRunHostileClasses runs every classed case of the hostile
// corpus (see package corpus) through the real binary and checks its exit
// status, its error line, its output, its peak RSS and its wall time.
func TestPluginRunHostileClasses(t *testing.T) {
	requireBinary(t)
	cases, err := corpus.Read("../luaplugins/testdata/hostile")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			cmd := exec.Command(binary, append([]string{"plugin", "run", c.Path}, c.Args...)...)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			start := time.Now()
			rss, err := runPeakRSS(cmd)
			elapsed := time.Since(start)
			code := cmd.ProcessState.ExitCode()
			errText := strings.TrimSpace(stderr.String())
			if strings.Contains(errText, "panic:") || strings.Contains(errText, "fatal error:") || strings.Contains(errText, "goroutine ") {
				t.Fatalf("Go crash:\n%s", errText)
			}
			lines := strings.Split(errText, "\n")
			last := lines[len(lines)-1]
			switch {
			case c.OK && code != 0:
				t.Fatalf("exit %d (%v), want 0\nstderr: %s", code, err, errText)
			case !c.OK && code != 1:
				t.Fatalf("exit %d (%v), want 1\nstderr: %s", code, err, errText)
			case !c.OK && !c.Expect.MatchString(last):
				t.Errorf("last stderr line %q does not match %q", last, c.Expect)
			}
			if c.Stdout != nil && !c.Stdout.Match(stdout.Bytes()) {
				t.Errorf("stdout does not match %q:\n%s", c.Stdout, stdout.String())
			}
			if c.StdoutNot != nil && c.StdoutNot.Match(stdout.Bytes()) {
				t.Errorf("stdout matches %q:\n%s", c.StdoutNot, stdout.String())
			}
			if rss > c.RSS {
				t.Errorf("peak RSS %d MiB, bound %d MiB", rss>>20, c.RSS>>20)
			}
			if elapsed > c.Time {
				t.Errorf("took %v, bound %v", elapsed.Round(time.Millisecond), c.Time)
			}
			t.Logf("exit %d in %v, peak RSS %.1f MiB: %s", code, elapsed.Round(time.Millisecond), float64(rss)/(1<<20), last)
		})
	}
}

// TestAgentHoldsMemoryAttacks runs every case of the hostile corpus's
// memory class at once as installed plugins of one agent, beside a steady
// plugin, and checks that each attack ends in an error or a limit break,
// that the steady plugin kept running, and that the agent's peak RSS
// (VmHWM) stays under the bound stated below: a constant for the agent
// itself plus, for every plugin, its memory cap (all run at once, each on
// its own goroutine) with the Go runtime's room for garbage.
func TestAgentHoldsMemoryAttacks(t *testing.T) {
	requireBinary(t)
	cases, err := corpus.Read("../luaplugins/testdata/hostile")
	if err != nil {
		t.Fatal(err)
	}
	plugins := t.TempDir()
	var names []string
	var caps int64
	for _, c := range cases {
		if c.Class != "memory" || c.OK {
			continue
		}
		name := "m-" + strings.NewReplacer("/", "-", "_", "-").Replace(strings.TrimPrefix(c.Name, "memory/"))
		if len(name) > 32 {
			name = name[:32]
		}
		manifest := "interval: 1s\n"
		if c.Path != c.Main {
			// A plugin directory: keep what its manifest asks for, under
			// this test's name and a short interval.
			m, err := os.ReadFile(filepath.Join(c.Path, "manifest.yml"))
			if err != nil {
				t.Fatal(err)
			}
			var kept []string
			for _, line := range strings.Split(string(m), "\n") {
				if !strings.HasPrefix(line, "name:") && !strings.HasPrefix(line, "interval:") {
					kept = append(kept, line)
				}
			}
			manifest += strings.Join(kept, "\n")
		}
		caps += memoryCap(t, c)
		writePlugin(t, plugins, name, manifest, string(must(os.ReadFile(c.Main))))
		names = append(names, name)
	}
	if len(names) == 0 {
		t.Fatal("the corpus has no memory cases")
	}
	writePlugin(t, plugins, "steady", "interval: 1s\npermissions: [metrics]\n", "local n = 0\nfunction collect() n = n + 1; metrics.set(\"steady_runs\", n) end")
	a := startAgent(t, t.TempDir(), "--plugins", plugins)
	// Every attack runs at once on two shared cores, and some need a few
	// runs (each building megabytes) before they reach their limit.
	a.patience = 60 * time.Second
	patterns := []string{`(?m)^steady_runs\{plugin="steady"\} ([5-9]|[1-9][0-9]+)$`}
	for _, n := range names {
		patterns = append(patterns, fmt.Sprintf(`(?m)^heimnetz_plugin_executions_total\{plugin="%s",result="(limit|error)"\} [1-9]`, n))
	}
	a.waitForMetrics(t, patterns...)
	hwm := procStatusBytes(t, a.cmd.Process.Pid, "VmHWM")
	// The agent alone peaks at about 15 MiB; 32 MiB leaves room for its
	// store, server and the runtime. Each plugin may hold its cap, and the
	// garbage collector lets the heap reach about twice what is live.
	bound := 32<<20 + 2*caps
	t.Logf("%d memory attacks at once (caps %d MiB in all): agent peak RSS %.1f MiB, bound %d MiB", len(names), caps>>20, float64(hwm)/(1<<20), bound>>20)
	if hwm > bound {
		t.Errorf("agent peak RSS %d MiB over its bound %d MiB", hwm>>20, bound>>20)
	}
	if code, _ := a.get(t, "/healthz"); code != 200 {
		t.Errorf("/healthz answered %d during the attacks", code)
	}
	a.stop(t)
}

// memoryCap is the memory limit a case runs under.
func memoryCap(t *testing.T, c corpus.Case) int64 {
	t.Helper()
	src, err := luaplugins.ReadPath(c.Path, luaplugins.NewRegistry(), limits.Ceilings())
	if err != nil {
		t.Fatalf("%s: %v", c.Name, err)
	}
	return src.Manifest.Limits.Memory
}

// procStatusBytes reads a "kB" field of /proc/PID/status.
func procStatusBytes(t *testing.T, pid int, field string) int64 {
	t.Helper()
	status := string(must(os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))))
	for _, line := range strings.Split(status, "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			var kb int64
			if _, err := fmt.Sscanf(strings.TrimSpace(v), "%d kB", &kb); err != nil {
				t.Fatalf("%s: %q: %v", field, line, err)
			}
			return kb << 10
		}
	}
	t.Fatalf("/proc/%d/status has no %s", pid, field)
	return 0
}

// runPeakRSS runs cmd and returns the highest VmHWM its process showed.
// The rusage of a child is no measure here: Go starts children with
// vfork, and Linux carries the parent's high-water mark into the child's
// ru_maxrss at exec, so every child would seem to peak at the test
// binary's own size (about 30 MiB). VmHWM belongs to the child's own
// memory map; it only grows, so the last reading before exit is the peak
// up to what the process added in its last millisecond.
func runPeakRSS(cmd *exec.Cmd) (int64, error) {
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	status := fmt.Sprintf("/proc/%d/status", cmd.Process.Pid)
	done := make(chan struct{})
	peakc := make(chan int64, 1)
	go func() {
		var peak int64
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			if b, err := os.ReadFile(status); err == nil {
				if _, v, ok := strings.Cut(string(b), "VmHWM:"); ok {
					var kb int64
					if _, err := fmt.Sscanf(strings.TrimSpace(v), "%d", &kb); err == nil && kb<<10 > peak {
						peak = kb << 10
					}
				}
			}
			select {
			case <-done:
				peakc <- peak
				return
			case <-tick.C:
			}
		}
	}()
	err := cmd.Wait()
	close(done)
	return <-peakc, err
}
