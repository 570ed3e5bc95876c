package main

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// process is a program this command started; only processes started
// here are ever signalled, by their PID.
type process struct {
	name string
	cmd  *exec.Cmd
	log  string // its stdout and stderr
	done chan struct{}
	err  error // set when done is closed
}

// processes are every process started so far, stopped together.
type processes struct {
	mu   sync.Mutex
	list []*process
}

// start runs bin with args, its output going to logPath. On Linux the
// child gets SIGTERM if this program dies first (childAttr), so a killed
// fleet leaves no agents behind.
func (ps *processes) start(name, logPath, bin string, args ...string) (*process, error) {
	out, err := os.Create(logPath)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = childAttr()
	if err := cmd.Start(); err != nil {
		out.Close()
		return nil, fmt.Errorf("%s: starting %s: %w", name, bin, err)
	}
	p := &process{name: name, cmd: cmd, log: logPath, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		out.Close()
		close(p.done)
	}()
	ps.mu.Lock()
	ps.list = append(ps.list, p)
	ps.mu.Unlock()
	return p, nil
}

// exited reports whether p has ended.
func (p *process) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// logTail returns the last lines of p's log, for an error message.
func (p *process) logTail() string {
	data, _ := os.ReadFile(p.log)
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-8):], "\n")
}

// stopAll sends SIGTERM to every process still running, in reverse order
// of starting (agents before the stores they push to), waits up to
// patience for them together, then kills those left. It returns the
// processes that did not end cleanly.
func (ps *processes) stopAll(patience time.Duration) []string {
	ps.mu.Lock()
	list := ps.list
	ps.list = nil
	ps.mu.Unlock()
	for i := len(list) - 1; i >= 0; i-- {
		if p := list[i]; !p.exited() {
			p.cmd.Process.Signal(syscall.SIGTERM)
		}
	}
	deadline := time.After(patience)
	var unclean []string
	for _, p := range list {
		select {
		case <-p.done:
		case <-deadline:
			// Killed: the deadline channel is spent; every later one is
			// checked without waiting.
			deadline = closedChan
		}
		if !p.exited() {
			p.cmd.Process.Kill()
			<-p.done
			unclean = append(unclean, p.name+" (killed after "+patience.String()+")")
		} else if p.err != nil && !isTerm(p.err) {
			unclean = append(unclean, fmt.Sprintf("%s (%v)", p.name, p.err))
		}
	}
	return unclean
}

var closedChan = func() <-chan time.Time {
	c := make(chan time.Time)
	close(c)
	return c
}()

// isTerm reports whether err is an exit by SIGTERM, which is how
// victoria-metrics and prometheus may report a requested stop.
func isTerm(err error) bool {
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		return false
	}
	ws, ok := ee.Sys().(syscall.WaitStatus)
	return ok && ws.Signaled() && ws.Signal() == syscall.SIGTERM
}

// freePorts returns n distinct loopback ports, free at the time of the
// call: all n are held open together before any is let go, so no two
// of this program's servers get the same one (an agent binds its port
// only seconds after it starts, and a port handed out again meanwhile
// made two agents share one, the second answering the first's
// readiness check).
func freePorts(n int) ([]int, error) {
	ports := make([]int, 0, n)
	for range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		defer ln.Close()
		ports = append(ports, ln.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

// waitReady polls url until it answers 200, p ends, or patience passes.
func waitReady(p *process, url string, patience time.Duration) error {
	client := http.Client{Timeout: 2 * time.Second}
	for deadline := time.Now().Add(patience); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if p.exited() {
			return fmt.Errorf("%s exited (%v) before answering %s:\n%s", p.name, p.err, url, p.logTail())
		}
		resp, err := client.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
	}
	return fmt.Errorf("%s did not answer %s within %v:\n%s", p.name, url, patience, p.logTail())
}

// statusKiB reads one "Key: N kB" line of /proc/PID/status.
func statusKiB(pid int, key string) (int64, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, key+":"); ok {
			return strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		}
	}
	return 0, fmt.Errorf("/proc/%d/status has no %s", pid, key)
}
