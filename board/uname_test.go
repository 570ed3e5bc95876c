package board

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
)

func TestParseFixtureUname(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    Utsname
		wantErr bool
	}{
		{"all fields", "sysname Linux\nnodename OpenWrt\nrelease 5.15.150\nversion #0 SMP Mon Mar 25 22:27:10 2024\nmachine mips\ndomainname (none)\n",
			Utsname{Sysname: "Linux", Nodename: "OpenWrt", Release: "5.15.150", Version: "#0 SMP Mon Mar 25 22:27:10 2024", Machine: "mips", Domainname: "(none)"}, false},
		{"empty values and no final break", "sysname Linux\nrelease 6.6.1\nmachine \nnodename", Utsname{Sysname: "Linux", Release: "6.6.1"}, false},
		{"blank lines", "\nsysname Linux\n\nrelease 6.6.1\n", Utsname{Sysname: "Linux", Release: "6.6.1"}, false},
		{"no release", "sysname Linux\n", Utsname{}, true},
		{"no sysname", "release 6.6.1\n", Utsname{}, true},
		{"unknown field", "sysname Linux\nrelease 6.6.1\nkernel 6\n", Utsname{}, true},
		{"given twice", "sysname Linux\nrelease 6.6.1\nrelease 6.6.2\n", Utsname{}, true},
		{"empty file", "", Utsname{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseFixtureUname(fileFixtureUname, []byte(tt.in))
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			checkParseErr(t, fileFixtureUname, err)
			if got != tt.want {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

// TestFixtureUnameAgrees: in every fixture tree that has the stand-in,
// it says what the six files of /proc/sys/kernel say, so a tree reads
// the same with and without it.
func TestFixtureUnameAgrees(t *testing.T) {
	for _, root := range fixtures {
		t.Run(root, func(t *testing.T) {
			dir := filepath.Join("testdata", root)
			withStandIn, err1 := NewDir(dir).Uname()
			m := fstest.MapFS{}
			for _, f := range []string{fileOSType, fileKernelRelease, fileKernelVer, fileHostname, fileDomainname, fileArch} {
				if data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f))); err == nil {
					m[f] = &fstest.MapFile{Data: data}
				}
			}
			sixFiles, err2 := NewFS(m).Uname()
			if withStandIn != sixFiles || (err1 == nil) != (err2 == nil) {
				t.Fatalf("stand-in %+v, %v; six files %+v, %v", withStandIn, err1, sixFiles, err2)
			}
		})
	}
}

func FuzzFixtureUname(f *testing.F) {
	addFixtureSeeds(f, fileFixtureUname)
	f.Add([]byte("sysname Linux\nrelease 1\nversion  #1 \x00\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		u, err := parseFixtureUname(fileFixtureUname, data)
		checkParseErr(t, fileFixtureUname, err)
		if err != nil {
			return
		}
		if _, err := json.Marshal(u); err != nil {
			t.Fatalf("parsed value does not encode: %v", err)
		}
	})
}
