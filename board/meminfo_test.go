package board

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestMemInfoFixtures(t *testing.T) {
	const k = 1024
	tests := []struct {
		root    string
		want    MemInfo // without Fields
		nFields int
		used    uint64
		extra   map[string]uint64
	}{
		{
			root: "openwrt-mt7621",
			want: MemInfo{MemTotal: 122348 * k, MemFree: 57244 * k, MemAvailable: 68912 * k, Buffers: 4096 * k,
				Cached: 17440 * k, Shmem: 3212 * k, SReclaimable: 3452 * k},
			nFields: 40, used: (122348 - 68912) * k,
			extra: map[string]uint64{"HighTotal": 0, "LowTotal": 122348 * k, "Active(file)": 12756 * k},
		},
		{
			root: "openwrt-filogic",
			want: MemInfo{MemTotal: 2021040 * k, MemFree: 1756212 * k, MemAvailable: 1790044 * k,
				Cached: 52108 * k, Shmem: 15120 * k, SReclaimable: 7012 * k},
			nFields: 38, used: (2021040 - 1790044) * k,
			extra: map[string]uint64{"CmaTotal": 16384 * k, "VmallocTotal": 263061440 * k},
		},
		{
			root: "debian-x86",
			want: MemInfo{MemTotal: 8025680 * k, MemFree: 5811224 * k, MemAvailable: 7302112 * k, Buffers: 98212 * k,
				Cached: 1401230 * k, Shmem: 61220 * k, SReclaimable: 102331 * k, SwapTotal: 999420 * k, SwapFree: 999420 * k},
			nFields: 54, used: (8025680 - 7302112) * k,
			extra: map[string]uint64{"HugePages_Total": 0, "Hugepagesize": 2048 * k, "VmallocTotal": 34359738367 * k},
		},
	}
	for _, tt := range tests {
		t.Run(tt.root, func(t *testing.T) {
			got, err := fixture(t, tt.root).MemInfo()
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Fields) != tt.nFields {
				t.Errorf("%d fields, want %d", len(got.Fields), tt.nFields)
			}
			for name, v := range tt.extra {
				if g, ok := got.Fields[name]; !ok || g != v {
					t.Errorf("Fields[%q] = %d (present %v), want %d", name, g, ok, v)
				}
			}
			if u := got.Used(); u != tt.used {
				t.Errorf("Used() = %d, want %d", u, tt.used)
			}
			got.Fields = nil
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("MemInfo() = %+v,\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestParseMemInfo(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		total   uint64
		used    uint64
		wantErr bool
	}{
		{name: "minimal", in: "MemTotal: 100 kB\nMemFree: 40 kB\nMemAvailable: 60 kB\n", total: 102400, used: 40960},
		{name: "no available", in: "MemTotal: 100 kB\nMemFree: 40 kB\nBuffers: 10 kB\nCached: 20 kB\n", total: 102400, used: 30720},
		{name: "unitless", in: "MemTotal: 1 kB\nHugePages_Total:       7\n", total: 1024, used: 1024},
		{name: "crlf and blank", in: "MemTotal: 1 kB\r\n\r\n", total: 1024, used: 1024},
		{name: "no total", in: "MemFree: 1 kB\n", wantErr: true},
		{name: "empty", in: "", wantErr: true},
		{name: "no colon", in: "MemTotal 1 kB\n", wantErr: true},
		{name: "bad number", in: "MemTotal: x kB\n", wantErr: true},
		{name: "bad unit", in: "MemTotal: 1 MB\n", wantErr: true},
		{name: "extra field", in: "MemTotal: 1 kB x\n", wantErr: true},
		{name: "no value", in: "MemTotal:\n", wantErr: true},
		{name: "overflow", in: "MemTotal: 18014398509481984 kB\n", wantErr: true},
		{name: "repeated", in: "MemTotal: 1 kB\nMemTotal: 2 kB\n", wantErr: true},
		{name: "space in name", in: "Mem Total: 1 kB\n", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseMemInfo(fileMemInfo, []byte(tt.in), nil)
			checkParseErr(t, fileMemInfo, err)
			if (err != nil) != tt.wantErr {
				t.Fatalf("error = %v, wantErr %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if got.MemTotal != tt.total || got.Used() != tt.used {
				t.Fatalf("MemTotal %d Used %d, want %d %d", got.MemTotal, got.Used(), tt.total, tt.used)
			}
		})
	}
}

func FuzzMemInfo(f *testing.F) {
	addFixtureSeeds(f, fileMemInfo)
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := parseMemInfo(fileMemInfo, data, nil)
		checkParseErr(t, fileMemInfo, err)
		if err != nil {
			return
		}
		if m.MemTotal != m.Fields["MemTotal"] || m.SwapFree != m.Fields["SwapFree"] {
			t.Fatalf("named fields disagree with Fields: %+v", m)
		}
		if m.Used() > m.MemTotal {
			t.Fatalf("Used() %d > MemTotal %d", m.Used(), m.MemTotal)
		}
		if _, err := json.Marshal(m); err != nil {
			t.Fatalf("parsed value does not encode: %v", err)
		}
	})
}

func BenchmarkParseMemInfo(b *testing.B) {
	data := fixtureFile(b, "debian-x86", fileMemInfo)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parseMemInfo(fileMemInfo, data, nil); err != nil {
			b.Fatal(err)
		}
	}
}
