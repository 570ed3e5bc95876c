package board

import (
	"errors"
	"os"
	"testing"

	"golang.org/x/sys/unix"
)

// TestNL80211LiveFailsCleanly asks the running kernel; on a machine
// without a wireless driver the answer must be ErrNoWifi, not a hang or
// a crash.
func TestNL80211LiveFailsCleanly(t *testing.T) {
	if os.Getenv("HEIMNETZ_EMULATED") != "" {
		t.Skip("under qemu: qemu-user does not emulate generic netlink sockets")
	}
	b, err := New("/")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ifs, err := b.WifiInterfaces()
	if err != nil && !errors.Is(err, ErrNoWifi) {
		t.Fatalf("WifiInterfaces() error = %v, want nil or ErrNoWifi", err)
	}
	t.Logf("live: %d interfaces, err %v", len(ifs), err)
	st, err := b.WifiStations()
	if err != nil && !errors.Is(err, ErrNoWifi) {
		t.Fatalf("WifiStations() error = %v, want nil or ErrNoWifi", err)
	}
	t.Logf("live: %d stations, err %v", len(st), err)
}

// TestNetlinkControllerAnswers checks the request and reply plumbing the
// live nl80211 path uses on a family every Linux kernel has: the generic
// netlink controller itself ("nlctrl", id 16).
func TestNetlinkControllerAnswers(t *testing.T) {
	fd, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC, unix.NETLINK_GENERIC)
	if err != nil {
		t.Skipf("no generic netlink socket: %v", err)
	}
	defer unix.Close(fd)
	if err := unix.Bind(fd, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		t.Skipf("bind: %v", err)
	}
	tv := unix.NsecToTimeval(nlTimeout.Nanoseconds())
	if err := unix.SetsockoptTimeval(fd, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &tv); err != nil {
		t.Fatal(err)
	}
	id, err := nlFamilyID(fd, "nlctrl")
	if err != nil || id != unix.GENL_ID_CTRL {
		t.Fatalf("nlFamilyID(nlctrl) = %d, %v; want %d", id, err, unix.GENL_ID_CTRL)
	}
	if _, err := nlFamilyID(fd, "no-such-family"); !errors.Is(err, ErrNoWifi) {
		t.Fatalf("unknown family: %v, want ErrNoWifi", err)
	}
}
