//go:build linux

package homenet

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// nsPrefix starts the name of every namespace this test creates; the
// process id follows it, so stale ones of a dead run can be told apart.
const nsPrefix = "hznet-"

// run runs a command and fails the test with its output when it fails.
func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// nsName is the name of this run's namespace role ("r", "u", "c1").
func nsName(role string) string { return fmt.Sprintf("%s%d-%s", nsPrefix, os.Getpid(), role) }

// removeStale deletes namespaces an earlier run of this test left behind
// when that run's process is gone; a running test's namespaces stay.
func removeStale(t *testing.T) {
	out, err := exec.Command("ip", "netns", "list").Output()
	if err != nil {
		return
	}
	for _, line := range strings.Split(string(out), "\n") {
		name, _, _ := strings.Cut(strings.TrimSpace(line), " ")
		rest, ok := strings.CutPrefix(name, nsPrefix)
		if !ok {
			continue
		}
		pidText, _, _ := strings.Cut(rest, "-")
		pid, err := strconv.Atoi(pidText)
		if err != nil || pid == os.Getpid() {
			continue
		}
		if _, err := os.Stat(fmt.Sprintf("/proc/%d", pid)); err == nil {
			continue
		}
		t.Logf("removing stale namespace %s of process %d, which is gone", name, pid)
		exec.Command("ip", "netns", "delete", name).Run()
	}
}

// requireNamespaces skips (fails under CI=true) where namespaces cannot
// be made, and fails when a tool the test needs is missing.
func requireNamespaces(t *testing.T) {
	t.Helper()
	skip := func(format string, args ...any) {
		t.Helper()
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI must run the simulated home network: "+format, args...)
		}
		t.Skipf("simulated home network skipped: "+format, args...)
	}
	if os.Getenv("HEIMNETZ_EMULATED") != "" {
		// Not a gap on CI: the native suite runs it.
		t.Skip("under qemu: the native suite runs the simulated home network (it builds and runs the host's agent)")
	}
	if os.Geteuid() != 0 {
		skip("needs root to create network namespaces (ip netns add)")
	}
	for _, tool := range []string{"ip", "nft", "dnsmasq", "busybox", "unshare"} {
		if _, err := exec.LookPath(tool); err != nil {
			skip("%s is missing (scripts/deps.sh installs it)", tool)
		}
	}
	probe := nsName("probe")
	if out, err := exec.Command("ip", "netns", "add", probe).CombinedOutput(); err != nil {
		skip("ip netns add: %v: %s", err, bytes.TrimSpace(out))
	}
	exec.Command("ip", "netns", "delete", probe).Run()
}

// inNetns runs f on an OS thread that has joined the namespace ns; the
// sockets f opens stay in ns after it returns. The thread is dropped, not
// reused, when it cannot go back to the test's own namespace.
func inNetns(ns string, f func() error) error {
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		orig, err := os.Open("/proc/thread-self/ns/net")
		if err != nil {
			errc <- err
			return // the locked thread ends with the goroutine
		}
		defer orig.Close()
		target, err := os.Open("/run/netns/" + ns)
		if err != nil {
			errc <- err
			return
		}
		defer target.Close()
		if err := unix.Setns(int(target.Fd()), unix.CLONE_NEWNET); err != nil {
			errc <- fmt.Errorf("setns %s: %w", ns, err)
			return
		}
		ferr := f()
		if err := unix.Setns(int(orig.Fd()), unix.CLONE_NEWNET); err != nil {
			errc <- errors.Join(ferr, fmt.Errorf("back from %s: %w", ns, err))
			return
		}
		runtime.UnlockOSThread()
		errc <- ferr
	}()
	return <-errc
}

// dialIn opens a TCP connection to addr from inside the namespace ns.
func dialIn(ns, addr string) (net.Conn, error) {
	var c net.Conn
	err := inNetns(ns, func() error {
		var err error
		c, err = net.Dial("tcp", addr)
		return err
	})
	return c, err
}

// listenIn opens a TCP listener on addr inside the namespace ns.
func listenIn(ns, addr string) (net.Listener, error) {
	var l net.Listener
	err := inNetns(ns, func() error {
		var err error
		l, err = net.Listen("tcp", addr)
		return err
	})
	return l, err
}
