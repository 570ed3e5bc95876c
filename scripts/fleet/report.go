package main

import (
	"fmt"
	"io"
	"slices"
	"time"
)

// presentShare is the share of an agent's own series a store must hold
// for the agent to count as arrived there.
const presentShare = 0.9

// ingestCounts are both stores' sample counters at one moment.
type ingestCounts struct {
	at       time.Time
	vm, prom float64
}

func ingestSample(vm, prom *store) (ingestCounts, error) {
	c := ingestCounts{at: time.Now()}
	var err error
	if c.vm, err = vm.ingested(); err != nil {
		return c, err
	}
	c.prom, err = prom.ingested()
	return c, err
}

// agentRow is one agent's line of the report.
type agentRow struct {
	name, addr     string
	own            int     // sample lines its /metrics shows
	vm, prom       int     // series each store holds for it
	rssKiB         int64   // VmRSS
	scrapeSeconds  float64 // Prometheus' last scrape of it; -1 unknown
	pushed, failed float64 // heimnetz_push_samples_total, _failures_total
	dropped        float64 // heimnetz_push_dropped_samples_total
	exited         string  // why the agent ended before the report, with its log's tail
}

// report is what the fleet measured.
type report struct {
	opts         options
	rows         []agentRow
	pushMetrics  bool // the agents export heimnetz_push_*
	vmRate       float64
	promRate     float64
	rateWindow   time.Duration
	vmRSS, prRSS int64
}

// collect reads each agent's own figures and what both stores hold for it.
func collect(o options, agents []*agent, vm, prom *store) (*report, error) {
	window := fmt.Sprintf("%ds", int(max(3*o.interval, 30*time.Second).Seconds()))
	series := `count by (instance) (last_over_time({site="fleet"}[` + window + `]))`
	inVM, err := vm.queryVector(series, "instance")
	if err != nil {
		return nil, err
	}
	inProm, err := prom.queryVector(series, "instance")
	if err != nil {
		return nil, err
	}
	scrape, err := prom.queryVector(`scrape_duration_seconds{job="heimnetz"}`, "instance")
	if err != nil {
		return nil, err
	}
	r := &report{opts: o}
	for _, a := range agents {
		row := agentRow{name: a.name, addr: a.addr, vm: int(inVM[a.name]), prom: int(inProm[a.name]), scrapeSeconds: -1}
		if s, ok := scrape[a.name]; ok {
			row.scrapeSeconds = s
		}
		if a.proc.exited() {
			row.exited = fmt.Sprintf("%v\n%s", a.proc.err, a.proc.logTail())
			r.rows = append(r.rows, row)
			continue
		}
		body, err := httpGet("http://" + a.addr + "/metrics")
		if err != nil {
			return nil, fmt.Errorf("%s: %w", a.name, err)
		}
		row.own = countSamples(body)
		row.pushed = sumMetric(body, "heimnetz_push_samples_total")
		row.failed = sumMetric(body, "heimnetz_push_failures_total")
		row.dropped = sumMetric(body, "heimnetz_push_dropped_samples_total")
		r.pushMetrics = r.pushMetrics || row.pushed > 0
		if row.rssKiB, err = statusKiB(a.proc.cmd.Process.Pid, "VmRSS"); err != nil {
			return nil, err
		}
		r.rows = append(r.rows, row)
	}
	r.vmRSS, _ = statusKiB(vm.proc.cmd.Process.Pid, "VmRSS")
	r.prRSS, _ = statusKiB(prom.proc.cmd.Process.Pid, "VmRSS")
	return r, nil
}

// ingest sets the stores' ingest rates from two samples of their counters.
func (r *report) ingest(before, after ingestCounts) {
	r.rateWindow = after.at.Sub(before.at)
	if s := r.rateWindow.Seconds(); s > 0 {
		r.vmRate = (after.vm - before.vm) / s
		r.promRate = (after.prom - before.prom) / s
	}
}

// arrived reports whether a store's count holds the agent's series.
func arrived(got, own int) bool {
	return own > 0 && float64(got) >= presentShare*float64(own)
}

// ok reports whether every agent arrived in both stores (VictoriaMetrics
// only when the agents push).
func (r *report) ok() bool {
	for _, row := range r.rows {
		if row.exited != "" || !arrived(row.prom, row.own) || r.opts.push && !arrived(row.vm, row.own) {
			return false
		}
	}
	return len(r.rows) > 0
}

func (r *report) print(w io.Writer) {
	mark := func(got, own int) string {
		if arrived(got, own) {
			return "present"
		}
		return "ABSENT"
	}
	fmt.Fprintf(w, "\n%-9s %-16s %7s %8s %-8s %8s %-8s %9s %9s", "agent", "address", "own", "in VM", "", "in Prom", "", "RSS KiB", "scrape ms")
	if r.pushMetrics {
		fmt.Fprintf(w, " %9s %6s %8s", "pushed", "fails", "dropped")
	}
	fmt.Fprintln(w)
	var totalRSS int64
	var inVM, inProm int
	var scrapes []float64
	for _, row := range r.rows {
		vmMark := mark(row.vm, row.own)
		if !r.opts.push {
			vmMark = "no push"
		}
		scrapeMS := "-"
		if row.scrapeSeconds >= 0 {
			scrapeMS = fmt.Sprintf("%.1f", row.scrapeSeconds*1000)
			scrapes = append(scrapes, row.scrapeSeconds)
		}
		if row.exited != "" {
			fmt.Fprintf(w, "%-9s %-16s EXITED before the report: %s\n", row.name, row.addr, row.exited)
			continue
		}
		fmt.Fprintf(w, "%-9s %-16s %7d %8d %-8s %8d %-8s %9d %9s", row.name, row.addr, row.own, row.vm, vmMark, row.prom, mark(row.prom, row.own), row.rssKiB, scrapeMS)
		if r.pushMetrics {
			fmt.Fprintf(w, " %9.0f %6.0f %8.0f", row.pushed, row.failed, row.dropped)
		}
		fmt.Fprintln(w)
		totalRSS += row.rssKiB
		if arrived(row.vm, row.own) {
			inVM++
		}
		if arrived(row.prom, row.own) {
			inProm++
		}
	}
	n := len(r.rows)
	fmt.Fprintf(w, "\nagents: %d, each every bundled plugin at %v, run %v\n", n, r.opts.interval, r.opts.duration)
	fmt.Fprintf(w, "arrived (at least %.0f%% of the agent's own series): VictoriaMetrics %d of %d, Prometheus %d of %d\n", presentShare*100, inVM, n, inProm, n)
	fmt.Fprintf(w, "agents' RSS: %.1f MiB in all, %.1f MiB each on average; victoria-metrics %.1f MiB, prometheus %.1f MiB\n",
		float64(totalRSS)/1024, float64(totalRSS)/1024/float64(max(n, 1)), float64(r.vmRSS)/1024, float64(r.prRSS)/1024)
	fmt.Fprintf(w, "ingest over %v: VictoriaMetrics %.0f rows/s (vm_rows_inserted_total), Prometheus %.0f samples/s (prometheus_tsdb_head_samples_appended_total)\n",
		r.rateWindow.Round(time.Second), r.vmRate, r.promRate)
	if len(scrapes) > 0 {
		slices.Sort(scrapes)
		fmt.Fprintf(w, "scrape durations (Prometheus' last scrape of each): min %.1f ms, median %.1f ms, max %.1f ms\n",
			scrapes[0]*1000, scrapes[len(scrapes)/2]*1000, scrapes[len(scrapes)-1]*1000)
	}
	if r.ok() {
		fmt.Fprintln(w, "result: every agent's series arrived")
	} else {
		fmt.Fprintln(w, "result: FAILED, some agents' series are missing (ABSENT above)")
	}
}
