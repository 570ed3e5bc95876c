package board

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestParseMounts(t *testing.T) {
	in := "/dev/root /rom squashfs ro,relatime 0 0\n" +
		"/dev/sda1 /mnt/usb\\040stick vfat rw 0 0\n" +
		"weird\\134name /mnt/a\\011b\\12x ext4 rw 0 0\n"
	got, err := parseMounts(fileMounts, []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []Mount{
		{Device: "/dev/root", MountPoint: "/rom", FSType: "squashfs", Options: "ro,relatime", ReadOnly: true},
		{Device: "/dev/sda1", MountPoint: "/mnt/usb stick", FSType: "vfat", Options: "rw"},
		{Device: `weird\name`, MountPoint: "/mnt/a\tb\\12x", FSType: "ext4", Options: "rw"},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
	for _, bad := range []string{"a b c d 0\n", "dev relative ext4 rw 0 0\n"} {
		_, err := parseMounts(fileMounts, []byte(bad))
		checkParseErr(t, fileMounts, err)
		if err == nil {
			t.Errorf("parseMounts(%q) accepted", bad)
		}
	}
	many := strings.Repeat("tmpfs /t tmpfs rw 0 0\n", maxMounts+1)
	if _, err := parseMounts(fileMounts, []byte(many)); !errors.Is(err, ErrMalformed) {
		t.Errorf("%d mounts: error %v, want the bound", maxMounts+1, err)
	}
}

func TestFilesystemsSkipPseudoAndShadowed(t *testing.T) {
	b := mapFS(map[string]string{fileMounts: "proc /proc proc rw 0 0\n" +
		"cgroup2 /sys/fs/cgroup cgroup2 rw 0 0\n" +
		"tmpfs /tmp tmpfs rw 0 0\n" +
		"/dev/sda1 /tmp ext4 ro 0 0\n" + // mounted over the tmpfs: only this one is visible
		"nfs:/x /mnt/stale nfs rw 0 0\n"})
	var asked []string
	b.statfs = func(path string) (FSUsage, error) {
		asked = append(asked, path)
		if path == "/mnt/stale" {
			return FSUsage{}, errors.New("stale file handle")
		}
		return FSUsage{Path: path, Total: 100, Free: 40, Available: 30, Files: 10, FilesFree: 5}, nil
	}
	got, err := b.Filesystems()
	if err == nil || !strings.Contains(err.Error(), "/mnt/stale: stale file handle") {
		t.Errorf("error = %v, want the stale mount named", err)
	}
	want := []Filesystem{{Device: "/dev/sda1", FSType: "ext4", MountPoint: "/tmp", Size: 100, Free: 40, Avail: 30, Files: 10, FilesFree: 5, ReadOnly: true}}
	if fmt.Sprint(got) != fmt.Sprint(want) || fmt.Sprint(asked) != "[/tmp /mnt/stale]" {
		t.Fatalf("got %+v (statfs asked %v)\nwant %+v", got, asked, want)
	}
}

func FuzzMounts(f *testing.F) {
	addFixtureSeeds(f, fileMounts)
	f.Add([]byte("a\\0 /b\\040\\ c d 0 0\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ms, err := parseMounts(fileMounts, data)
		checkParseErr(t, fileMounts, err)
		if len(ms) > maxMounts {
			t.Fatalf("%d mounts past the bound", len(ms))
		}
		for _, m := range ms {
			if !strings.HasPrefix(m.MountPoint, "/") {
				t.Fatalf("relative mount point %q", m.MountPoint)
			}
		}
		if _, err := json.Marshal(ms); err != nil {
			t.Fatal(err)
		}
	})
}

func TestFilesystemsHungMount(t *testing.T) {
	b := mapFS(map[string]string{fileMounts: "nfs:/x /mnt/nfs nfs rw 0 0\ntmpfs /tmp tmpfs rw 0 0\n"})
	release := make(chan struct{})
	var calls atomic.Int32
	b.statfs = func(path string) (FSUsage, error) {
		if path == "/mnt/nfs" {
			calls.Add(1)
			<-release
		}
		return FSUsage{Path: path, Total: 1}, nil
	}
	for range 2 {
		start := time.Now()
		got, err := b.Filesystems()
		if !errors.Is(err, errStatfsStuck) || len(got) != 1 || got[0].MountPoint != "/tmp" {
			t.Fatalf("got %+v, %v; want /tmp and the hung mount named", got, err)
		}
		if d := time.Since(start); d > 3*statfsTimeout {
			t.Fatalf("took %v", d)
		}
	}
	if n := calls.Load(); n != 1 {
		t.Fatalf("statfs of the hung mount called %d times, want once while it hangs", n)
	}
	close(release)
}

func TestFilesystemsHungMountDelaysTheNext(t *testing.T) {
	b := mapFS(map[string]string{fileMounts: "nfs:/x /mnt/nfs nfs rw 0 0\n/dev/sda1 /mnt/usb ext4 rw 0 0\n"})
	release := make(chan struct{})
	var usb atomic.Int32
	b.statfs = func(path string) (FSUsage, error) {
		if path == "/mnt/nfs" {
			<-release
		} else {
			usb.Add(1)
		}
		return FSUsage{Path: path, Total: 1}, nil
	}
	// The first call waits behind the hung mount and does not ask the
	// USB disk; the second skips the hung mount and asks it.
	got, err := b.Filesystems()
	if !errors.Is(err, errStatfsStuck) || !errors.Is(err, errStatfsNotAsked) || len(got) != 0 {
		t.Fatalf("first call: %+v, %v; want both mounts named, the hung one and the one not asked", got, err)
	}
	got, err = b.Filesystems()
	if !errors.Is(err, errStatfsStuck) || errors.Is(err, errStatfsNotAsked) || len(got) != 1 || got[0].MountPoint != "/mnt/usb" {
		t.Fatalf("second call: %+v, %v; want /mnt/usb and the hung mount named", got, err)
	}
	close(release)
	if n := usb.Load(); n != 1 {
		t.Fatalf("statfs of /mnt/usb asked %d times, want once (the first call's goroutine gave up)", n)
	}
}
