package board

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
)

// goldenGoArch replaces Device.GoArch in golden files, so they are the
// same on every machine the tests run on.
const goldenGoArch = "GOARCH"

func TestSnapshotGolden(t *testing.T) {
	for _, root := range fixtures {
		t.Run(root, func(t *testing.T) {
			s, err := fixture(t, root).Snapshot()
			if err != nil {
				t.Fatal(err)
			}
			if s.Device.GoArch != runtime.GOARCH {
				t.Fatalf("GoArch = %q, want %q", s.Device.GoArch, runtime.GOARCH)
			}
			s.Device.GoArch = goldenGoArch
			got, err := json.MarshalIndent(s, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := filepath.Join("testdata", root+".golden.json")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -run TestSnapshotGolden -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("snapshot of %s differs from %s (run with -update after checking the change):\n%s",
					root, path, firstDifference(got, want))
			}
		})
	}
}

// firstDifference returns the lines around the first differing byte.
func firstDifference(got, want []byte) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	start := bytes.LastIndexByte(got[:i], '\n') + 1
	line := 1 + bytes.Count(got[:i], []byte("\n"))
	endGot := min(len(got), start+200)
	endWant := min(len(want), start+200)
	return "line " + strconv.Itoa(line) + "\ngot:  " + string(got[start:endGot]) + "\nwant: " + string(want[min(start, len(want)):endWant])
}

func TestSnapshotPartial(t *testing.T) {
	b := mapFS(map[string]string{
		fileLoadAvg:       "0.50 0.40 0.30 1/50 77\n",
		fileMemInfo:       "MemFree: 1 kB\n",
		fileCPUInfo:       "processor : 0\n",
		fileHostname:      "h\n",
		fileKernelRelease: "6.6.30\n",
	})
	s, err := b.Snapshot()
	if s.Load != (LoadAvg{0.5, 0.4, 0.3, 1, 50, 77}) {
		t.Fatalf("Load = %+v, want the parsed file", s.Load)
	}
	if s.Device.Hostname != "h" || s.Device.Model != UnknownModel {
		t.Fatalf("Device = %+v", s.Device)
	}
	for _, section := range []string{"memory", "uptime", "cpu", "netdev"} {
		if s.Errors[section] == "" {
			t.Errorf("no error recorded for %s", section)
		}
	}
	if s.NetDev == nil || s.Interfaces == nil || s.Thermal == nil || s.CPU.CPUs == nil {
		t.Errorf("nil slices in %+v", s)
	}
	for _, section := range []string{"device", "load", "interfaces", "thermal"} {
		if msg, ok := s.Errors[section]; ok {
			t.Errorf("unexpected error for %s: %s", section, msg)
		}
	}
	if !errors.Is(err, fs.ErrNotExist) || !errors.Is(err, ErrMalformed) {
		t.Fatalf("error = %v, want both missing and malformed files", err)
	}
}

func BenchmarkSnapshot(b *testing.B) {
	for _, root := range []string{"openwrt-mt7621", "debian-x86"} {
		b.Run(root, func(b *testing.B) {
			brd := fixture(b, root)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := brd.Snapshot(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkLoadAvgRealRoot(b *testing.B) {
	brd, err := New("/")
	if err != nil {
		b.Fatal(err)
	}
	defer brd.Close()
	if _, err := brd.LoadAvg(); err != nil {
		b.Skipf("no usable /proc/loadavg: %v", err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := brd.LoadAvg(); err != nil {
			b.Fatal(err)
		}
	}
}
