package board

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// leaseLine is a dnsmasq lease for address .n; every n of one digit gives
// a line of the same length, so a rewrite keeps the file's size.
func leaseLine(n int) string {
	return "1733401234 3c:22:fb:12:34:5" + string(rune('0'+n)) + " 192.168.1." + string(rune('0'+n)) + " host" + string(rune('0'+n)) + " *\n"
}

// TestStableRead drives one stable file (dnsmasq's leases) through the
// ways a file changes, on a board that opens files by path (the
// agent's) and on one that reads through os.Root, and counts the reads.
func TestStableRead(t *testing.T) {
	type step struct {
		// do changes the file (or the clock) before the call.
		do func(t *testing.T, s *stableSetup)
		// reads is how many times the call must read the file; ip is
		// the lease it must find ("" for none), notExist whether it must
		// fail with fs.ErrNotExist, tooLarge with ErrTooLarge.
		reads    int
		ip       string
		notExist bool
		tooLarge bool
	}
	cases := []struct {
		name  string
		steps []step
	}{
		{"unchanged file is read once", []step{
			{reads: 1, ip: "192.168.1.1"},
			{reads: 0, ip: "192.168.1.1"},
			{reads: 0, ip: "192.168.1.1"},
		}},
		{"read within the racy window is read again", []step{
			{do: func(t *testing.T, s *stableSetup) { s.wall = s.written.Add(time.Second) }, reads: 1, ip: "192.168.1.1"},
			{reads: 1, ip: "192.168.1.1"}, // still racy: read again
			{do: func(t *testing.T, s *stableSetup) { s.wall = s.written.Add(racyWindow) }, reads: 1, ip: "192.168.1.1"},
			{reads: 0, ip: "192.168.1.1"}, // read after the window: trusted
		}},
		{"rewritten in place with the same size", []step{
			{reads: 1, ip: "192.168.1.1"},
			{do: func(t *testing.T, s *stableSetup) { s.rewrite(t, leaseLine(2), s.mtime.Add(time.Second)) }, reads: 1, ip: "192.168.1.2"},
			{reads: 0, ip: "192.168.1.2"},
		}},
		{"replaced by rename with the same size and mtime", []step{
			{reads: 1, ip: "192.168.1.1"},
			{do: func(t *testing.T, s *stableSetup) { s.replace(t, leaseLine(3)) }, reads: 1, ip: "192.168.1.3"},
			{reads: 0, ip: "192.168.1.3"},
		}},
		{"deleted, then written again", []step{
			{reads: 1, ip: "192.168.1.1"},
			// stat tells the absence: no open is tried, nothing is kept
			{do: func(t *testing.T, s *stableSetup) { s.remove(t) }, reads: 0, notExist: true},
			{reads: 0, notExist: true},
			{do: func(t *testing.T, s *stableSetup) { s.rewrite(t, leaseLine(4), s.mtime) }, reads: 1, ip: "192.168.1.4"},
			{reads: 0, ip: "192.168.1.4"},
		}},
		{"a read error is never kept", []step{
			{do: func(t *testing.T, s *stableSetup) {
				s.rewrite(t, strings.Repeat(leaseLine(5), MaxFileSize/len(leaseLine(5))+1), s.mtime)
			}, reads: 1, tooLarge: true},
			{reads: 1, tooLarge: true},
			{do: func(t *testing.T, s *stableSetup) { s.rewrite(t, leaseLine(6), s.mtime) }, reads: 1, ip: "192.168.1.6"},
			{reads: 0, ip: "192.168.1.6"},
		}},
		{"a malformed file is kept with its error", []step{
			{do: func(t *testing.T, s *stableSetup) { s.rewrite(t, "not a lease\n", s.mtime.Add(time.Second)) }, reads: 1},
			{reads: 0},
			{do: func(t *testing.T, s *stableSetup) { s.rewrite(t, leaseLine(7), s.mtime.Add(time.Second)) }, reads: 1, ip: "192.168.1.7"},
		}},
		{"a directory in its place is read every time", []step{
			{do: func(t *testing.T, s *stableSetup) {
				s.remove(t)
				if err := os.Mkdir(s.path, 0o755); err != nil {
					t.Fatal(err)
				}
			}, reads: 1},
			{reads: 1},
		}},
	}
	for _, open := range []string{"path", "root"} {
		for _, tc := range cases {
			t.Run(open+"/"+tc.name, func(t *testing.T) {
				s := newStableSetup(t, open == "path")
				for i, st := range tc.steps {
					if st.do != nil {
						st.do(t, s)
					}
					before := s.b.stable.reads[fileDnsmasqLeases]
					ls, err := s.b.DHCPLeases()
					if got := s.b.stable.reads[fileDnsmasqLeases] - before; got != st.reads {
						t.Errorf("step %d: %d reads, want %d", i, got, st.reads)
					}
					switch {
					case st.notExist:
						if !errors.Is(err, fs.ErrNotExist) {
							t.Errorf("step %d: err %v, want fs.ErrNotExist", i, err)
						}
					case st.tooLarge:
						if !errors.Is(err, ErrTooLarge) {
							t.Errorf("step %d: err %v, want ErrTooLarge", i, err)
						}
					case st.ip != "":
						if err != nil || len(ls) != 1 || ls[0].IP != st.ip {
							t.Errorf("step %d: %+v, %v; want one lease for %s", i, ls, err, st.ip)
						}
					default:
						if err == nil || len(ls) != 0 {
							t.Errorf("step %d: %+v, %v; want an error and no lease", i, ls, err)
						}
					}
				}
			})
		}
	}
}

// stableSetup is a tree with one dnsmasq lease file (and no odhcpd
// file, which is read and missing at every call) and a Board over it
// whose racy-window clock is wall, an hour after the file was written
// unless a step says otherwise.
type stableSetup struct {
	b       *Board
	path    string
	mtime   time.Time
	written time.Time
	wall    time.Time
}

func newStableSetup(t *testing.T, byPath bool) *stableSetup {
	t.Helper()
	root := t.TempDir()
	s := &stableSetup{path: filepath.Join(root, filepath.FromSlash(fileDnsmasqLeases))}
	if err := os.MkdirAll(filepath.Dir(s.path), 0o755); err != nil {
		t.Fatal(err)
	}
	s.mtime = time.Now().Add(-time.Hour).Truncate(time.Second)
	// odhcpd's file is there and empty, kept from the first call on.
	odhcpd := filepath.Join(root, filepath.FromSlash(fileOdhcpdLeases))
	if err := os.MkdirAll(filepath.Dir(odhcpd), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(odhcpd, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	s.rewrite(t, leaseLine(1), s.mtime)
	s.wall = s.written.Add(time.Hour)
	if byPath {
		s.b = NewDir(root)
	} else {
		b, err := New(root)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { b.Close() })
		s.b = b
	}
	s.b.stable.wall = func() time.Time { return s.wall }
	return s
}

// rewrite writes data over the file in place (truncate and write, as
// dnsmasq does) and sets its mtime.
func (s *stableSetup) rewrite(t *testing.T, data string, mtime time.Time) {
	t.Helper()
	f, err := os.OpenFile(s.path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(data); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	s.touch(t, mtime)
}

// replace writes data to a new file with the old one's mtime and
// renames it over the old one.
func (s *stableSetup) replace(t *testing.T, data string) {
	t.Helper()
	tmp := s.path + ".new"
	if err := os.WriteFile(tmp, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(tmp, s.mtime, s.mtime); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, s.path); err != nil {
		t.Fatal(err)
	}
	s.written = time.Now()
}

func (s *stableSetup) touch(t *testing.T, mtime time.Time) {
	t.Helper()
	if err := os.Chtimes(s.path, mtime, mtime); err != nil {
		t.Fatal(err)
	}
	// The file's ctime is now, whatever its mtime says.
	s.written, s.mtime = time.Now(), mtime
}

func (s *stableSetup) remove(t *testing.T) {
	t.Helper()
	if err := os.Remove(s.path); err != nil {
		t.Fatal(err)
	}
}

// TestStableReadPerSecond: a release file is checked once per second of
// the board's clock, as the read cache shares it between readers.
func TestStableReadPerSecond(t *testing.T) {
	root := t.TempDir()
	p := filepath.Join(root, filepath.FromSlash(fileOpenWrtRelease))
	write := func(id string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("DISTRIB_ID='"+id+"'\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		old := time.Now().Add(-time.Hour)
		if err := os.Chtimes(p, old, old); err != nil {
			t.Fatal(err)
		}
	}
	write("OpenWrt")
	b := NewDir(root)
	now := time.Unix(1000, 0)
	b.SetClock(func() time.Time { return now })
	b.stable.wall = func() time.Time { return time.Now().Add(time.Hour) }
	get := func() string {
		t.Helper()
		r, err := b.OpenWrtRelease()
		if err != nil {
			t.Fatal(err)
		}
		return r.ID
	}
	if id := get(); id != "OpenWrt" {
		t.Fatalf("first: %q", id)
	}
	write("LEDE-1") // another size
	if id := get(); id != "OpenWrt" {
		t.Errorf("same second: %q, want the kept OpenWrt", id)
	}
	now = now.Add(time.Second)
	if id := get(); id != "LEDE-1" {
		t.Errorf("next second: %q, want LEDE-1", id)
	}
	if n := b.stable.reads[fileOpenWrtRelease]; n != 2 {
		t.Errorf("%d reads, want 2", n)
	}
}

// TestStableReadNoStamp: a tree without inodes (in memory) is read at
// every call.
func TestStableReadNoStamp(t *testing.T) {
	b := mapFS(map[string]string{fileDnsmasqLeases: leaseLine(1)})
	for range 3 {
		if ls, _ := b.DHCPLeases(); len(ls) != 1 {
			t.Fatalf("leases %+v", ls)
		}
	}
	if n := b.stable.reads[fileDnsmasqLeases]; n != 3 || len(b.stable.entries) != 0 {
		t.Fatalf("%d reads, %d entries; want 3 and none kept", n, len(b.stable.entries))
	}
}

// TestStableReadCopies: what DHCPLeases and BoardInfo return is the
// caller's; changing it does not change the next call's result.
func TestStableReadCopies(t *testing.T) {
	b := NewDir(filepath.Join("testdata", "openwrt-mt7621"))
	b.stable.wall = func() time.Time { return time.Now().Add(time.Hour) }
	ls, err := b.DHCPLeases()
	if err != nil || len(ls) == 0 {
		t.Fatalf("DHCPLeases: %d, %v", len(ls), err)
	}
	want := ls[len(ls)-1].IP
	for i := range ls {
		ls[i].IP = "changed"
		for j := range ls[i].Addresses {
			ls[i].Addresses[j] = "changed"
		}
	}
	again, _ := b.DHCPLeases()
	if again[len(again)-1].IP != want || strings.Contains(strings.Join(again[len(again)-1].Addresses, ","), "changed") {
		t.Fatalf("a caller's change reached the kept leases: %+v", again[len(again)-1])
	}
	info, err := b.BoardInfo()
	if err != nil || len(info.Network) == 0 {
		t.Fatalf("BoardInfo: %+v, %v", info, err)
	}
	for role := range info.Network {
		delete(info.Network, role)
	}
	if info, _ := b.BoardInfo(); len(info.Network) == 0 {
		t.Fatal("a caller's change reached the kept board.json")
	}
}

// TestStableReadConcurrent reads the stable files from several
// goroutines while one rewrites the leases (run with -race).
func TestStableReadConcurrent(t *testing.T) {
	s := newStableSetup(t, true)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				if _, err := s.b.DHCPLeases(); err != nil && !isNotExist(err) {
					t.Error(err)
					return
				}
				_, _ = s.b.Device()
			}
		}()
	}
	for n := range 5 {
		tmp := s.path + ".new"
		if err := os.WriteFile(tmp, []byte(leaseLine(n)), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, s.path); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
	if ls, err := s.b.DHCPLeases(); err != nil || len(ls) != 1 || ls[0].IP != "192.168.1.4" {
		t.Fatalf("after the rewrites: %+v, %v; want the last lease", ls, err)
	}
}
