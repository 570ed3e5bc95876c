package board

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestStatFixtures(t *testing.T) {
	tests := []struct {
		root   string
		total  CPUTimes
		cpus   int
		last   CPUTimes
		intr   uint64
		ctxt   uint64
		btime  uint64
		forks  uint64
		runnin uint64
	}{
		{
			root:  "openwrt-mt7621",
			total: CPUTimes{Name: "cpu", User: 298724, System: 228907, Idle: 42772514, IOWait: 774, SoftIRQ: 169472},
			cpus:  4,
			last:  CPUTimes{Name: "cpu3", User: 77120, System: 58010, Idle: 10711834, IOWait: 201, SoftIRQ: 15299},
			intr:  98812301, ctxt: 512877203, btime: 1713770000, forks: 61288, runnin: 1,
		},
		{
			root:  "openwrt-ath79",
			total: CPUTimes{Name: "cpu", User: 612331, System: 901223, Idle: 126011233, SoftIRQ: 1991220},
			cpus:  1,
			last:  CPUTimes{Name: "cpu0", User: 612331, System: 901223, Idle: 126011233, SoftIRQ: 1991220},
			intr:  301122331, ctxt: 99812330, btime: 1712443100, forks: 33012, runnin: 2,
		},
		{
			root:  "debian-x86",
			total: CPUTimes{Name: "cpu", User: 8024325, Nice: 11412, System: 3572996, Idle: 472245667, IOWait: 74668, SoftIRQ: 183022},
			cpus:  4,
			last:  CPUTimes{Name: "cpu3", User: 1988772, Nice: 1997, System: 870331, Idle: 118140012, IOWait: 17332, SoftIRQ: 29877},
			intr:  812331022, ctxt: 3301223112, btime: 1711900000, forks: 2203112, runnin: 2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.root, func(t *testing.T) {
			st, err := fixture(t, tt.root).Stat()
			if err != nil {
				t.Fatal(err)
			}
			if st.CPU != tt.total {
				t.Errorf("CPU = %+v,\nwant %+v", st.CPU, tt.total)
			}
			if len(st.CPUs) != tt.cpus {
				t.Fatalf("%d CPUs, want %d", len(st.CPUs), tt.cpus)
			}
			if got := st.CPUs[len(st.CPUs)-1]; got != tt.last {
				t.Errorf("last CPU = %+v,\nwant %+v", got, tt.last)
			}
			if st.Interrupts != tt.intr || st.ContextSwitches != tt.ctxt || st.BootTime != tt.btime ||
				st.Processes != tt.forks || st.ProcsRunning != tt.runnin || st.ProcsBlocked != 0 {
				t.Errorf("counters = %d %d %d %d %d %d", st.Interrupts, st.ContextSwitches, st.BootTime,
					st.Processes, st.ProcsRunning, st.ProcsBlocked)
			}
		})
	}
}

func TestParseStat(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    Stat
		wantErr bool
	}{
		{
			name: "old kernel, four columns",
			in:   "cpu  1 2 3 4\ncpu0 1 2 3 4\npage 5 6\nswap 0 0\nintr 9\nctxt 10\nbtime 11\nprocesses 12\n",
			want: Stat{CPU: CPUTimes{Name: "cpu", User: 1, Nice: 2, System: 3, Idle: 4},
				CPUs:       []CPUTimes{{Name: "cpu0", User: 1, Nice: 2, System: 3, Idle: 4}},
				Interrupts: 9, ContextSwitches: 10, BootTime: 11, Processes: 12},
		},
		{
			name: "ten columns with guest",
			in:   "cpu 1 2 3 4 5 6 7 8 9 10\nprocs_running 3\nprocs_blocked 1\n",
			want: Stat{CPU: CPUTimes{Name: "cpu", User: 1, Nice: 2, System: 3, Idle: 4, IOWait: 5, IRQ: 6, SoftIRQ: 7,
				Steal: 8, Guest: 9, GuestNice: 10}, ProcsRunning: 3, ProcsBlocked: 1},
		},
		{name: "no cpu line", in: "ctxt 1\n", wantErr: true},
		{name: "three columns", in: "cpu 1 2 3\n", wantErr: true},
		{name: "eleven columns", in: "cpu 1 2 3 4 5 6 7 8 9 10 11\n", wantErr: true},
		{name: "bad cpu name", in: "cpu 1 2 3 4\ncpux 1 2 3 4\n", wantErr: true},
		{name: "repeated cpu", in: "cpu 1 2 3 4\ncpu 1 2 3 4\n", wantErr: true},
		{name: "bad time", in: "cpu 1 2 -3 4\n", wantErr: true},
		{name: "ctxt without value", in: "cpu 1 2 3 4\nctxt\n", wantErr: true},
		{name: "btime two values", in: "cpu 1 2 3 4\nbtime 1 2\n", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseStat(fileStat, []byte(tt.in))
			checkParseErr(t, fileStat, err)
			if (err != nil) != tt.wantErr {
				t.Fatalf("error = %v, wantErr %v", err, tt.wantErr)
			}
			if err == nil && !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %+v,\nwant %+v", got, tt.want)
			}
		})
	}
}

func FuzzStat(f *testing.F) {
	addFixtureSeeds(f, fileStat)
	f.Add([]byte("cpu 1 2 3 4\ncpu0 1 2 3 4 5 6 7 8 9 10\nintr 1 2 3\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		st, err := parseStat(fileStat, data)
		checkParseErr(t, fileStat, err)
		if err != nil {
			return
		}
		if st.CPU.Name != "cpu" {
			t.Fatalf("total named %q", st.CPU.Name)
		}
		if _, err := CPUUsage(st.CPU, st.CPU); err == nil {
			t.Fatal("CPUUsage of identical samples did not fail")
		}
		if _, err := json.Marshal(st); err != nil {
			t.Fatalf("parsed value does not encode: %v", err)
		}
	})
}

func BenchmarkParseStat(b *testing.B) {
	data := fixtureFile(b, "openwrt-mt7621", fileStat)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parseStat(fileStat, data); err != nil {
			b.Fatal(err)
		}
	}
}
