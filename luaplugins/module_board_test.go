package luaplugins

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/heimnetz/heimnetz/board"
	"github.com/heimnetz/heimnetz/limits"
)

// loadOnBoard loads code with perms over the board b and returns its
// log lines.
func loadOnBoard(t *testing.T, b Board, code string, perms ...string) ([]string, error) {
	t.Helper()
	return loadOnBoardAs(t, b, Identity{}, code, perms...)
}

// loadOnBoardAs is loadOnBoard with the client identity setting id.
func loadOnBoardAs(t *testing.T, b Board, id Identity, code string, perms ...string) ([]string, error) {
	t.Helper()
	lim := limits.Defaults()
	src := &Source{Origin: "test", Main: []byte(code), Manifest: &Manifest{Name: "t", Version: "1.0.0", Interval: time.Minute, Permissions: perms, Limits: lim}}
	logs := &logRec{}
	p, _, err := Load(src, Env{Log: logs, Board: b, Identity: id})
	if p != nil {
		p.Close()
	}
	return logs.lines, err
}

func fixtureBoard(t *testing.T, name string) *board.Board {
	t.Helper()
	b, err := board.New(filepath.Join("..", "board", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

func TestBoardModuleFixture(t *testing.T) {
	logs, err := loadOnBoardAs(t, fixtureBoard(t, "openwrt-mt7621"), Identity{Expose: true}, `
local function check(name, got, want)
  if got ~= want then error(name .. " = " .. tostring(got) .. ", want " .. tostring(want)) end
end
local cpu, why = board.cpu()
check("cpu reason", why, nil)
check("cpus", #cpu, 4)
check("cpu[1].cpu", cpu[1].cpu, "0")
check("cpu[1].idle", cpu[1].idle, 106312.01)
local ifs = board.interfaces()
check("interfaces[1]", ifs[1].name, "br-lan")
check("br-lan carrier_changes", ifs[1].carrier_changes, 1)
check("br-lan rx_bytes", ifs[1].counters.rx_bytes, 2010832201)
check("Tcp.MaxConn", board.netstat().Tcp.MaxConn, -1)
check("conntrack", board.conntrack().limit, 16384)
check("filefd", board.filefd().maximum, 25165)
local fs = board.filesystems()
check("filesystems", #fs, 6)
check("overlay avail", fs[4].avail, 97161216)
check("hwmon", board.hwmon()[1].temps[1].celsius, 52)
check("entropy", board.entropy().available_bits, 256)
check("uname", board.uname().release, "5.15.150")
check("device", board.device().board_id, "netgear,r6350")
check("cpuinfo", board.cpuinfo().system_type .. " x" .. board.cpuinfo().processors, "MediaTek MT7621 ver:1 eco:3 x4")
check("openwrt", board.openwrt_release().target, "ramips/mt7621")
local wan = board.wan()
check("wan", wan.interface .. " " .. wan.gateway .. " " .. tostring(wan.up), "wan 198.51.100.1 true")
local wifi = board.wifi_interfaces()
check("wifi", wifi[2].ssid .. " ch" .. wifi[2].channel .. " " .. wifi[2].noise_dbm, "Heimnetz ch36 -95")
check("time", type(board.time().seconds), "number")
local leases = clients.dhcp_leases()
check("leases", #leases, 7)
check("lease 1", leases[1].hostname .. " " .. leases[1].ip, "laptop-anna 192.168.1.23")
local st = clients.wifi_stations()
check("stations", #st, 3)
check("station signal", st[3].signal_dbm, -47)
local tr = clients.traffic()
check("traffic clients", #tr.clients, 5)
check("traffic lan", tr.lan_prefixes[1], "192.168.1.0/24")
local only = clients.traffic({"192.168.3.0/24"})
check("traffic one prefix", #only.clients .. " " .. only.clients[1].ip .. " " .. only.clients[1].tx_bytes, "1 192.168.3.101 456")
print("ok")
`, "board", "clients", "log")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(logs, "\n") != "info: ok" {
		t.Fatalf("log = %q", logs)
	}
}

func TestBoardModuleMissingSources(t *testing.T) {
	empty := board.NewFS(fstest.MapFS{})
	logs, err := loadOnBoard(t, empty, `
for _, f in ipairs({"loadavg", "cpu", "interfaces", "netstat", "conntrack", "filefd", "filesystems", "thermal", "hwmon",
    "entropy", "uname", "cpuinfo", "openwrt_release", "wan", "wifi_interfaces"}) do
  local v, why = board[f]()
  if type(v) ~= "table" then error(f .. " returned " .. type(v)) end
  print(f, next(v) == nil, why)
end
local v, why = clients.dhcp_leases()
print("dhcp_leases", #v, why)
v, why = clients.traffic()
print("traffic", #v.clients, why)
`, "board", "clients")
	if err != nil {
		t.Fatal(err)
	}
	joined := strings.Join(logs, "\n")
	for _, want := range []string{
		"info: loadavg\ttrue\tboard.loadavg: board: /proc/loadavg: file does not exist",
		"info: conntrack\ttrue\tboard.conntrack: board: /proc/sys/net/netfilter/nf_conntrack_count: file does not exist",
		"info: thermal\ttrue\tnil", // no /sys/class/thermal: no zones, no error
		"info: wifi_interfaces\ttrue\tboard.wifi_interfaces: board: /heimnetz-fixture/nl80211/interfaces.bin: file does not exist",
		"info: dhcp_leases\t0\tclients.dhcp_leases: board: /tmp/dhcp.leases: file does not exist; board: /tmp/hosts/odhcpd: file does not exist",
		"info: traffic\t0\tclients.traffic: board: /proc/net/nf_conntrack: file does not exist",
	} {
		if !strings.Contains(joined, want) {
			t.Errorf("log lacks %q:\n%s", want, joined)
		}
	}
}

func TestClientsNeedsItsOwnPermission(t *testing.T) {
	_, err := loadOnBoard(t, fixtureBoard(t, "openwrt-mt7621"), `
if clients ~= nil then error("clients granted by board alone") end
if board.wifi_stations ~= nil or board.dhcp_leases ~= nil then error("client data in board") end
`, "board")
	if err != nil {
		t.Fatal(err)
	}
}

func TestClientsTrafficArguments(t *testing.T) {
	for _, tt := range []struct{ code, want string }{
		{`clients.traffic({"192.168.1.0/33"})`, `"192.168.1.0/33" is not CIDR notation`},
		{`clients.traffic({1})`, "prefix 1 is not a string"},
		{`clients.traffic("x")`, "table expected"},
	} {
		_, err := loadOnBoard(t, fixtureBoard(t, "openwrt-mt7621"), tt.code, "clients")
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %q", tt.code, err, tt.want)
		}
	}
}

func TestBoardReadRate(t *testing.T) {
	logs, err := loadOnBoard(t, fixtureBoard(t, "openwrt-mt7621"), `
local got, last = 0, nil
for i = 1, 40 do
  local v, why = clients.traffic()
  if why == nil then got = got + 1 else last = why end
end
print(got, last)
local v, why = board.loadavg()
print(why == nil and v.load1 ~= nil)
`, "board", "clients")
	if err != nil {
		t.Fatal(err)
	}
	// 16 at once, plus what refills (16 a second) while the loop runs.
	var got int
	var reason string
	if len(logs) != 2 || logs[1] != "info: true" {
		t.Fatalf("log = %q, want loadavg unaffected (each function has its own bucket)", logs)
	}
	if _, err := fmt.Sscanf(logs[0], "info: %d\t", &got); err != nil || got < 16 || got > 20 {
		t.Fatalf("log = %q, want 16 to 20 reads served", logs)
	}
	reason = logs[0][strings.IndexByte(logs[0], '\t')+1:]
	if reason != "clients.traffic: more than 16 reads per second; returning nothing until the next second" {
		t.Fatalf("reason = %q", reason)
	}
}

// TestBoardWANProbe: board.wan_probe() gives the agent's last probe round
// as a table, and an empty table with the reason while there is none.
func TestBoardWANProbe(t *testing.T) {
	b := board.NewFS(fstest.MapFS{})
	code := `
local p, why = board.wan_probe()
print(p.target, p.up, p.sent, p.received, p.loss_ratio, p.rtt_avg_seconds, p.sent_total, p.address, why)
`
	logs, err := loadOnBoard(t, b, code, "board")
	if err != nil {
		t.Fatal(err)
	}
	if want := "info: nil\tnil\tnil\tnil\tnil\tnil\tnil\tnil\tboard.wan_probe: " + board.ErrNoWANProbe.Error(); len(logs) != 1 || logs[0] != want {
		t.Errorf("without a probe: %q, want %q", logs, want)
	}
	b.SetWANProbe(board.WANProbe{Target: "192.0.2.1", Up: true, LossRatio: 0.25, SentTotal: 8,
		PingResult: board.PingResult{Address: "192.0.2.1", Sent: 4, Received: 3, RTTAvg: 0.012}})
	logs, err = loadOnBoard(t, b, code, "board")
	if err != nil {
		t.Fatal(err)
	}
	if want := "info: 192.0.2.1\ttrue\t4\t3\t0.25\t0.012\t8\t192.0.2.1\tnil"; len(logs) != 1 || logs[0] != want {
		t.Errorf("after a round: %q, want %q", logs, want)
	}
}

func TestBoardNetstatFields(t *testing.T) {
	b := fixtureBoard(t, "openwrt-mt7621")
	_, err := loadOnBoard(t, b, `
local s = board.netstat({ Tcp = { "CurrEstab", "NoSuchField" }, TcpExt = { "Listen*" }, NoSuchProto = { "X" } })
local n, listen = 0, 0
for proto, fields in pairs(s) do
  for field in pairs(fields) do
    n = n + 1
    if proto == "TcpExt" then
      if field:sub(1, 6) ~= "Listen" then error("TcpExt." .. field .. " not asked for") end
      listen = listen + 1
    elseif proto ~= "Tcp" or field ~= "CurrEstab" then
      error(proto .. "." .. field .. " not asked for")
    end
  end
end
if s.Tcp.CurrEstab ~= 14 then error("Tcp.CurrEstab = " .. tostring(s.Tcp.CurrEstab)) end
if listen ~= 2 or n ~= 3 then error("got " .. n .. " fields, " .. listen .. " Listen*") end
if s.NoSuchProto ~= nil then error("a protocol the board lacks was returned") end
`, "board")
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{
		`board.netstat({ Tcp = "CurrEstab" })`,
		`board.netstat({ Tcp = { 1 } })`,
		`board.netstat({ [1] = { "x" } })`,
		`local t = {} for i = 1, 65 do t["P" .. i] = { "x" } end board.netstat(t)`,
		`local l = {} for i = 1, 65 do l[i] = "x" end board.netstat({ Tcp = l })`,
	} {
		if _, err := loadOnBoard(t, b, bad, "board"); err == nil || !strings.Contains(err.Error(), "bad argument #1") {
			t.Errorf("%s: error %v, want a bad argument", bad, err)
		}
	}
}

func TestBoardInterfacesWithoutCounters(t *testing.T) {
	b := fixtureBoard(t, "openwrt-mt7621")
	_, err := loadOnBoard(t, b, `
local with, without = board.interfaces(), board.interfaces({ counters = false })
if #with ~= #without or #with < 2 then error(#with .. " interfaces with counters, " .. #without .. " without") end
for i, ifc in ipairs(without) do
  if ifc.counters ~= nil then error(ifc.name .. " has counters") end
  if with[i].counters == nil then error(with[i].name .. " has none by default") end
  for _, k in ipairs({ "name", "operstate", "carrier", "speed_mbps", "mtu", "mac", "carrier_changes" }) do
    if ifc[k] ~= with[i][k] then error(ifc.name .. "." .. k .. " differs") end
  end
end
if board.interfaces({ counters = true })[1].counters == nil then error("counters = true left them out") end
`, "board")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := loadOnBoard(t, b, `board.interfaces({ counters = "no" })`, "board"); err == nil || !strings.Contains(err.Error(), "bad argument #1") {
		t.Errorf("counters = \"no\": error %v, want a bad argument", err)
	}
}
