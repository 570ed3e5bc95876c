package core

import (
	"io"
	"log/slog"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	vm "github.com/VictoriaMetrics/metrics"

	"github.com/heimnetz/heimnetz/store"
)

func TestSecurityEventsGoToSyslog(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "log")
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: sock, Net: "unixgram"})
	if err != nil {
		t.Skipf("no unix datagram sockets here: %v", err)
	}
	defer conn.Close()
	sink, err := openSyslog("unixgram", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	sec := &securityLog{set: vm.NewSet(), log: slog.New(slog.NewTextHandler(io.Discard, nil)), syslog: sink}
	sec.record(EvLimitBreak, store.Warning, "spin", `plugin "spin": time limit exceeded (2s) password=hunter2`)

	buf := make([]byte, 2048)
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	n, err := conn.Read(buf)
	if err != nil {
		t.Fatal(err)
	}
	msg := string(buf[:n])
	// <28> is facility daemon (3) * 8 + severity warning (4).
	for _, want := range []string{"<28>", "heimnetz", "security event type=limit_break severity=warning plugin=spin", "time limit exceeded (2s)"} {
		if !strings.Contains(msg, want) {
			t.Errorf("syslog line %q lacks %q", msg, want)
		}
	}
	if strings.Contains(msg, "hunter2") {
		t.Errorf("secret reached syslog: %q", msg)
	}
}
