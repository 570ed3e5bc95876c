//go:build linux

package homenet

import (
	"bufio"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The network, all of it inside namespaces this test creates:
//
//	client cN (eth0, MAC 02:77:00:00:00:0N, DHCP from 10.77.1.100-199)
//	  └─ veth ─ lanN ─ br-lan 10.77.1.1/24 [router r: dnsmasq, heimnetz,
//	                    nft masquerade out of wan, nf_conntrack_acct=1]
//	                    wan 10.77.0.2/24 ─ veth ─ up0 10.77.0.1/24 [upstream u:
//	                    the traffic server]
const (
	lanAddr      = "10.77.1.1/24"
	wanAddr      = "10.77.0.2/24"
	upstreamIP   = "10.77.0.1"
	upstreamAddr = upstreamIP + "/24"
	serverPort   = "8077"
	agentListen  = "127.0.0.1:19110"
	clients      = 3
	// interval of the agent's WAN probe and of the plugins the test reads.
	interval = 2 * time.Second
)

// Tolerances. Conntrack counts whole IP packets (20 bytes of IP and 32 of
// TCP header with timestamps per segment, plus the handshake and the
// other side's ACKs), the interface counters whole Ethernet frames (14
// bytes more): what was sent plus at most 5 % and 64 KiB, never less.
// Measured over veths: +0.16 % to +1.25 % (segments are large with GSO).
const (
	overheadRatio = 0.05
	overheadBytes = 64 << 10
)

// clientMAC is client n's MAC address.
func clientMAC(n int) string { return fmt.Sprintf("02:77:00:00:00:%02x", n) }

// upload and download are what client n sends and receives.
func upload(n int) int64   { return int64(n) << 20 }
func download(n int) int64 { return int64(2*n) << 20 }

func TestHomeNetwork(t *testing.T) {
	requireNamespaces(t)
	removeStale(t)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Second)
	defer cancel()
	dir := t.TempDir()
	buildAgent(t, dir)

	r, u := nsName("r"), nsName("u")
	build(t, r, u)
	l, err := listenIn(u, net.JoinHostPort(upstreamIP, serverPort))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go serveTraffic(l)

	// The agent starts first, so the test waits for nothing but its
	// plugins' next round once the clients are done.
	startAgent(t, r, dir)
	a := &agent{ns: r}
	startDnsmasq(t, r, dir)
	script := filepath.Join(dir, "udhcpc.sh")
	if err := os.WriteFile(script, []byte(udhcpcScript), 0o755); err != nil {
		t.Fatal(err)
	}
	// One client at a time: three udhcpc at once on the bridge lost
	// dnsmasq's ACKs here now and then.
	for n := 1; n <= clients; n++ {
		if err := dhcpClient(ctx, nsName(fmt.Sprintf("c%d", n)), n, script); err != nil {
			t.Fatal(err)
		}
	}

	// The WAN probe answers from upstream.
	m := a.waitFor(t, ctx, "the WAN probe's first reply", func(m metrics) bool { return m.value("heimnetz_wan_probe_up", "") == 1 })
	if rtt := m.value("heimnetz_wan_probe_rtt_seconds", `stat="avg"`); !(rtt > 0 && rtt < 0.5) {
		t.Errorf("heimnetz_wan_probe_rtt_seconds{stat=avg} = %v, want a round trip over a veth (0 < rtt < 0.5 s)", rtt)
	}
	if loss := m.value("heimnetz_wan_probe_loss_ratio", ""); loss != 0 {
		t.Errorf("heimnetz_wan_probe_loss_ratio = %v, want 0 while upstream is up", loss)
	}

	before := m
	for n := 1; n <= clients; n++ {
		if err := traffic(nsName(fmt.Sprintf("c%d", n)), upload(n), download(n)); err != nil {
			t.Fatalf("traffic of client %d: %v", n, err)
		}
	}
	// Upstream goes away: the probe reports loss. (Meanwhile the flows
	// stay in the conntrack table, closed, for the next nat-traffic run.)
	run(t, "ip", "-n", u, "link", "set", "up0", "down")
	m = a.waitFor(t, ctx, "the WAN probe's loss", func(m metrics) bool { return m.value("heimnetz_wan_probe_up", "") == 0 })
	if loss := m.value("heimnetz_wan_probe_loss_ratio", ""); loss != 1 {
		t.Errorf("heimnetz_wan_probe_loss_ratio = %v with upstream down, want 1", loss)
	}
	if s, r := m.value("heimnetz_wan_probe_sent_total", ""), m.value("heimnetz_wan_probe_received_total", ""); !(s > r && r > 0) {
		t.Errorf("heimnetz_wan_probe sent %v, received %v: want replies before and loss after", s, r)
	}
	// The plugins' next round after the traffic (every interval) has it.
	after := a.waitFor(t, ctx, "every lease and the traffic", func(m metrics) bool {
		ips := leasedIPs(m)
		if len(ips) < clients {
			return false
		}
		for n := 1; n <= clients; n++ {
			if !(m.value("heimnetz_client_flow_receive_bytes", `ip="`+ips[n]+`"`) >= float64(download(n))) {
				return false
			}
		}
		return m.value("node_network_receive_bytes_total", `device="lan3"`)-before.value("node_network_receive_bytes_total", `device="lan3"`) >= float64(upload(3))
	})
	// Every client's lease, with its MAC and host name (client identity
	// is exposed here).
	ips := leasedIPs(after)
	for n := 1; n <= clients; n++ {
		found := false
		for _, s := range after.find("heimnetz_dhcp_lease_info") {
			found = found || strings.Contains(s.labels, `mac="`+clientMAC(n)+`"`) && strings.Contains(s.labels, `hostname="client`+strconv.Itoa(n)+`"`)
		}
		if !found {
			t.Errorf("no lease of client %d (%s) on /metrics: %v", n, clientMAC(n), after.find("heimnetz_dhcp_lease_info"))
		}
	}
	for n := 1; n <= clients; n++ {
		ip, dev := `ip="`+ips[n]+`"`, fmt.Sprintf(`device="lan%d"`, n)
		within(t, fmt.Sprintf("client %d conntrack tx", n), after.value("heimnetz_client_flow_transmit_bytes", ip), upload(n))
		within(t, fmt.Sprintf("client %d conntrack rx", n), after.value("heimnetz_client_flow_receive_bytes", ip), download(n))
		// The router's side of the client's veth receives what the client
		// sends and transmits what it receives.
		within(t, fmt.Sprintf("lan%d receive", n), after.value("node_network_receive_bytes_total", dev)-before.value("node_network_receive_bytes_total", dev), upload(n))
		within(t, fmt.Sprintf("lan%d transmit", n), after.value("node_network_transmit_bytes_total", dev)-before.value("node_network_transmit_bytes_total", dev), download(n))
	}
	if e0, e1 := before.value("node_nf_conntrack_entries", ""), after.value("node_nf_conntrack_entries", ""); !(e1 >= e0+clients) {
		t.Errorf("node_nf_conntrack_entries %v → %v, want at least %d more (one flow per client)", e0, e1, clients)
	}
	if acc := after.value("heimnetz_conntrack_accounting", ""); acc != 1 {
		t.Errorf("heimnetz_conntrack_accounting = %v, want 1 (nf_conntrack_acct is on in the router)", acc)
	}

	// The API agrees: the plugins that read leases and traffic ran
	// without an error.
	api, err := a.get("/api/v1/plugins")
	if err != nil {
		t.Fatal(err)
	}
	var list struct {
		Plugins []struct {
			Name   string `json:"name"`
			Runs   int    `json:"runs"`
			Errors int    `json:"errors"`
		} `json:"plugins"`
	}
	if err := json.Unmarshal([]byte(api), &list); err != nil {
		t.Fatalf("/api/v1/plugins: %v\n%s", err, api)
	}
	ran := map[string]bool{}
	for _, p := range list.Plugins {
		ran[p.Name] = p.Runs >= 2 && p.Errors == 0
	}
	for _, name := range []string{"dhcp-leases", "nat-traffic", "netdev", "conntrack", "wan"} {
		if !ran[name] {
			t.Errorf("/api/v1/plugins: %s did not run twice without an error:\n%s", name, api)
		}
	}
	t.Logf("lease, traffic and probe checks done; upstream RTT was %.3f ms", before.value("heimnetz_wan_probe_rtt_seconds", `stat="avg"`)*1000)
}

// within checks that got counts what was sent, plus at most the headers.
func within(t *testing.T, what string, got float64, sent int64) {
	t.Helper()
	hi := float64(sent)*(1+overheadRatio) + overheadBytes
	t.Logf("%s: %.0f bytes for %d sent (+%.2f %%)", what, got, sent, 100*(got-float64(sent))/float64(sent))
	if !(got >= float64(sent) && got <= hi) { // NaN (no series) fails too
		t.Errorf("%s = %.0f bytes, want %d to %.0f (what was sent plus headers)", what, got, sent, hi)
	}
}

// leasedIPs maps client n to its leased address on /metrics, by MAC.
func leasedIPs(m metrics) map[int]string {
	ips := map[int]string{}
	for _, s := range m.find("heimnetz_dhcp_lease_info") {
		for n := 1; n <= clients; n++ {
			if strings.Contains(s.labels, `mac="`+clientMAC(n)+`"`) {
				ips[n] = labelValue(s.labels, "ip")
			}
		}
	}
	return ips
}

// buildAgent builds heimnetz into dir.
func buildAgent(t *testing.T, dir string) {
	bin := filepath.Join(dir, "heimnetz")
	cmd := exec.Command("go", "build", "-o", bin, "../../agent")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
}

// build creates the namespaces and links and sets up the router; cleanup
// removes them.
func build(t *testing.T, r, u string) {
	all := []string{r, u}
	for n := 1; n <= clients; n++ {
		all = append(all, nsName(fmt.Sprintf("c%d", n)))
	}
	t.Cleanup(func() {
		for _, ns := range all {
			exec.Command("ip", "netns", "delete", ns).Run()
		}
	})
	for _, ns := range all {
		run(t, "ip", "netns", "add", ns)
		run(t, "ip", "-n", ns, "link", "set", "lo", "up")
	}
	run(t, "ip", "link", "add", "wan", "netns", r, "type", "veth", "peer", "name", "up0", "netns", u)
	run(t, "ip", "-n", r, "addr", "add", wanAddr, "dev", "wan")
	run(t, "ip", "-n", u, "addr", "add", upstreamAddr, "dev", "up0")
	run(t, "ip", "-n", r, "link", "set", "wan", "up")
	run(t, "ip", "-n", u, "link", "set", "up0", "up")
	run(t, "ip", "-n", r, "route", "add", "default", "via", upstreamIP)
	run(t, "ip", "-n", r, "link", "add", "br-lan", "type", "bridge", "forward_delay", "0")
	run(t, "ip", "-n", r, "addr", "add", lanAddr, "dev", "br-lan")
	run(t, "ip", "-n", r, "link", "set", "br-lan", "up")
	for n := 1; n <= clients; n++ {
		c, lan := nsName(fmt.Sprintf("c%d", n)), fmt.Sprintf("lan%d", n)
		run(t, "ip", "link", "add", lan, "netns", r, "type", "veth", "peer", "name", "eth0", "netns", c)
		run(t, "ip", "-n", c, "link", "set", "eth0", "address", clientMAC(n))
		run(t, "ip", "-n", r, "link", "set", lan, "master", "br-lan")
		run(t, "ip", "-n", r, "link", "set", lan, "up")
		run(t, "ip", "-n", c, "link", "set", "eth0", "up")
	}
	run(t, "ip", "netns", "exec", r, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1")
	// The agent's probe uses an unprivileged ping socket, as on a router
	// where the owner widened ping_group_range (per network namespace);
	// board's own test covers the raw socket.
	run(t, "ip", "netns", "exec", r, "sysctl", "-q", "-w", "net.ipv4.ping_group_range=0 2147483647")
	nat := `table ip hznat {
	chain post { type nat hook postrouting priority srcnat; oifname "wan" masquerade; }
}`
	cmd := exec.Command("ip", "netns", "exec", r, "nft", "-f", "-")
	cmd.Stdin = strings.NewReader(nat)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("nft: %v\n%s", err, out)
	}
	// Per-client byte counts need conntrack accounting; the sysctl
	// exists once the nat table has loaded nf_conntrack.
	run(t, "ip", "netns", "exec", r, "sysctl", "-q", "-w", "net.netfilter.nf_conntrack_acct=1")
}

// startDnsmasq runs dnsmasq in the router on br-lan, DHCP only, its
// leases in dir/dhcp.leases; cleanup stops it.
func startDnsmasq(t *testing.T, r, dir string) {
	cmd := exec.Command("ip", "netns", "exec", r, "dnsmasq", "--keep-in-foreground", "--conf-file=/dev/null",
		"--port=0", "--interface=br-lan", "--bind-interfaces", "--dhcp-authoritative",
		"--dhcp-range=10.77.1.100,10.77.1.199,255.255.255.0,1h",
		"--dhcp-leasefile="+filepath.Join(dir, "dhcp.leases"), "--pid-file="+filepath.Join(dir, "dnsmasq.pid"),
		"--user=root", "--group=root", "--log-facility="+filepath.Join(dir, "dnsmasq.log"))
	if err := cmd.Start(); err != nil {
		t.Fatalf("dnsmasq: %v", err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
		if t.Failed() {
			log, _ := os.ReadFile(filepath.Join(dir, "dnsmasq.log"))
			t.Logf("dnsmasq log:\n%s", log)
		}
	})
}

// udhcpcScript sets the address and default route udhcpc got.
const udhcpcScript = `#!/bin/sh
case "$1" in
bound|renew)
	ip addr add "$ip/$mask" dev "$interface"
	[ -n "$router" ] && ip route add default via "${router%% *}" dev "$interface"
	;;
esac
exit 0
`

// dhcpClient gets client n's address from dnsmasq with busybox udhcpc,
// which quits once it has it; a round that ends without a lease is tried
// again, twice at most.
func dhcpClient(ctx context.Context, c string, n int, script string) error {
	var out []byte
	var err error
	for range 3 {
		cmd := exec.CommandContext(ctx, "ip", "netns", "exec", c, "busybox", "udhcpc", "-i", "eth0",
			"-f", "-q", "-n", "-t", "10", "-T", "1", "-s", script, "-x", fmt.Sprintf("hostname:client%d", n))
		if out, err = cmd.CombinedOutput(); err == nil {
			return nil
		}
	}
	return fmt.Errorf("udhcpc in %s: %v\n%s", c, err, out)
}

// startAgent runs heimnetz in the router, in a mount namespace of its own
// where dir is /tmp, so the agent reads the test's leases as
// /tmp/dhcp.leases and the host's file stays untouched. The bundled
// plugins the test reads run every interval (the config's per-plugin
// switches; their manifests say 15 s and 30 s).
func startAgent(t *testing.T, r, dir string) {
	conf, _ := json.Marshal(map[string]any{
		"listen": agentListen, "data_dir": "/tmp/data", "plugins_dir": "/tmp/plugins",
		"plugins": map[string]any{
			"dhcp-leases": map[string]any{"interval": interval.String()},
			"nat-traffic": map[string]any{"interval": interval.String()},
			"netdev":      map[string]any{"interval": interval.String()},
			"conntrack":   map[string]any{"interval": interval.String()},
			"wan":         map[string]any{"interval": interval.String()},
		},
		"expose_client_identity": true,
		"wan_probe":              map[string]any{"target": upstreamIP, "interval": interval.String(), "count": 2, "timeout": "300ms"},
	})
	if err := os.WriteFile(filepath.Join(dir, "agent.json"), conf, 0o600); err != nil {
		t.Fatal(err)
	}
	logf, err := os.Create(filepath.Join(dir, "agent.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("ip", "netns", "exec", r, "unshare", "--mount", "--propagation", "private", "sh", "-c",
		`mount --bind "$0" /tmp && exec /tmp/heimnetz run --config /tmp/agent.json`, dir)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatalf("agent: %v", err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("agent did not stop cleanly: %v", err)
			}
		case <-time.After(15 * time.Second):
			cmd.Process.Kill()
			t.Errorf("agent did not stop within 15 s of SIGTERM")
		}
		logf.Close()
		if t.Failed() {
			log, _ := os.ReadFile(filepath.Join(dir, "agent.log"))
			t.Logf("agent log:\n%s", log)
		}
	})
}

// agent scrapes the agent in the router namespace.
type agent struct{ ns string }

// get fetches path from the agent.
func (a *agent) get(path string) (string, error) {
	c, err := dialIn(a.ns, agentListen)
	if err != nil {
		return "", err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", path)
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("GET %s: %s", path, resp.Status)
	}
	return string(body), nil
}

// waitFor scrapes /metrics until ok holds, failing the test at ctx's end.
func (a *agent) waitFor(t *testing.T, ctx context.Context, what string, ok func(metrics) bool) metrics {
	t.Helper()
	var last metrics
	var lastErr error
	for {
		body, err := a.get("/metrics")
		if err == nil {
			last = parseMetrics(body)
			if ok(last) {
				return last
			}
		}
		lastErr = err
		select {
		case <-ctx.Done():
			api, _ := a.get("/api/v1/plugins")
			t.Fatalf("waiting for %s: %v (last error %v)\n%s\nplugins: %s", what, ctx.Err(), lastErr, last.relevant(), api)
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// series is one line of /metrics.
type series struct {
	name, labels string
	value        float64
}

// metrics is one scrape.
type metrics struct {
	text   string
	series []series
}

// parseMetrics reads the text format's sample lines.
func parseMetrics(text string) metrics {
	m := metrics{text: text}
	for _, line := range strings.Split(text, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		if i < 0 {
			continue
		}
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			continue
		}
		name, labels := line[:i], ""
		if j := strings.IndexByte(name, '{'); j >= 0 {
			name, labels = name[:j], name[j:]
		}
		m.series = append(m.series, series{name: name, labels: labels, value: v})
	}
	return m
}

// relevant returns the lines of the scrape this test looks at.
func (m metrics) relevant() string {
	var b strings.Builder
	for _, line := range strings.Split(m.text, "\n") {
		for _, p := range []string{"heimnetz_dhcp", "heimnetz_client", "heimnetz_wan", "heimnetz_conntrack", "node_nf_conntrack", "node_network_receive_bytes", "node_network_transmit_bytes"} {
			if strings.HasPrefix(line, p) {
				b.WriteString(line + "\n")
				break
			}
		}
	}
	return b.String()
}

// find returns the series of name.
func (m metrics) find(name string) []series {
	var out []series
	for _, s := range m.series {
		if s.name == name {
			out = append(out, s)
		}
	}
	return out
}

// value returns the value of the first series of name whose labels hold
// label (all when empty); NaN when there is none.
func (m metrics) value(name, label string) float64 {
	for _, s := range m.series {
		if s.name == name && strings.Contains(s.labels, label) {
			return s.value
		}
	}
	return math.NaN()
}

// labelValue returns the value of label key in a {k="v",...} text.
func labelValue(labels, key string) string {
	_, rest, ok := strings.Cut(labels, key+`="`)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(rest, `"`)
	return v
}

// serveTraffic answers each connection: it reads an 16-byte request (how
// much the client will send, how much it wants), takes the upload and
// sends the download.
func serveTraffic(l net.Listener) {
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		go func() {
			defer c.Close()
			c.SetDeadline(time.Now().Add(20 * time.Second))
			var hdr [16]byte
			if _, err := io.ReadFull(c, hdr[:]); err != nil {
				return
			}
			up, down := int64(binary.BigEndian.Uint64(hdr[:8])), int64(binary.BigEndian.Uint64(hdr[8:]))
			if up > 64<<20 || down > 64<<20 {
				return
			}
			if _, err := io.CopyN(io.Discard, c, up); err != nil {
				return
			}
			io.CopyN(c, zeros{}, down)
		}()
	}
}

// traffic sends up bytes from the client namespace c to the upstream
// server and reads down bytes back, over one connection.
func traffic(c string, up, down int64) error {
	conn, err := dialIn(c, net.JoinHostPort(upstreamIP, serverPort))
	if err != nil {
		return err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(20 * time.Second))
	var hdr [16]byte
	binary.BigEndian.PutUint64(hdr[:8], uint64(up-16))
	binary.BigEndian.PutUint64(hdr[8:], uint64(down))
	if _, err := conn.Write(hdr[:]); err != nil {
		return err
	}
	if _, err := io.CopyN(conn, zeros{}, up-16); err != nil {
		return err
	}
	n, err := io.Copy(io.Discard, conn)
	if err != nil {
		return err
	}
	if n != down {
		return fmt.Errorf("received %d bytes, want %d", n, down)
	}
	return nil
}

// zeros reads as an endless run of zero bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
