package board

import (
	"errors"
	"io/fs"
	"testing"
	"time"
)

func TestParseFileNr(t *testing.T) {
	tests := []struct {
		in      string
		want    FileFD
		wantErr bool
	}{
		{in: "1088\t0\t25165\n", want: FileFD{1088, 0, 25165}},
		{in: "2101 0 9223372036854775807", want: FileFD{2101, 0, 9223372036854775807}},
		{in: "1 2\n", wantErr: true},
		{in: "1 2 3 4\n", wantErr: true},
		{in: "1 -2 3\n", wantErr: true},
		{in: "1 2 3\n4 5 6\n", wantErr: true},
		{in: "", wantErr: true},
	}
	for _, tt := range tests {
		got, err := parseFileNr(fileFileNr, []byte(tt.in))
		checkParseErr(t, fileFileNr, err)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("parseFileNr(%q) = %+v, %v; want %+v, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestSmallProcFiles(t *testing.T) {
	b := mapFS(map[string]string{
		fileEntropyAvail:   "3811\n",
		fileConntrackCount: "42\n",
		fileConntrackMax:   "65536\n",
	})
	e, err := b.Entropy()
	if err != nil || e != (Entropy{AvailableBits: 3811}) {
		t.Errorf("Entropy() = %+v, %v; want 3811 bits and no pool size (file absent)", e, err)
	}
	c, err := b.Conntrack()
	if err != nil || c != (Conntrack{Entries: 42, Limit: 65536}) {
		t.Errorf("Conntrack() = %+v, %v", c, err)
	}
	if _, err := mapFS(nil).Conntrack(); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Conntrack() without the module: %v, want fs.ErrNotExist", err)
	}
	if _, err := mapFS(map[string]string{fileEntropyAvail: "many\n"}).Entropy(); !errors.Is(err, ErrMalformed) {
		t.Errorf("Entropy() of garbage: %v, want ErrMalformed", err)
	}
}

func TestUnameFixture(t *testing.T) {
	u, err := mapFS(map[string]string{fileOSType: "Linux\n", fileKernelRelease: "6.6.63\n", fileArch: "aarch64\n"}).Uname()
	want := Utsname{Sysname: "Linux", Release: "6.6.63", Machine: "aarch64"}
	if err != nil || u != want {
		t.Fatalf("Uname() = %+v, %v; want %+v", u, err, want)
	}
	if _, err := mapFS(map[string]string{fileOSType: "Linux\n"}).Uname(); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Uname() without osrelease: %v, want fs.ErrNotExist", err)
	}
}

func TestClockZone(t *testing.T) {
	b := mapFS(nil)
	b.now = func() time.Time { return fixedNow }
	c := b.Clock()
	if c != (Clock{Seconds: 1733403600, Zone: "CET", OffsetSeconds: 3600}) {
		t.Fatalf("Clock() = %+v", c)
	}
}

func FuzzFileNr(f *testing.F) {
	addFixtureSeeds(f, fileFileNr)
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := parseFileNr(fileFileNr, data)
		checkParseErr(t, fileFileNr, err)
	})
}
