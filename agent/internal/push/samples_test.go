package push

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestAppendSamples(t *testing.T) {
	const ms = 1767322800123
	extra := []Label{{"instance", "router-1"}, {"site", `ho"me\`}}
	tests := []struct {
		name, in, want string
		samples, bad   int
	}{
		{name: "no labels", in: "up 1\n", want: `up{instance="router-1",site="ho\"me\\"} 1 1767322800123` + "\n", samples: 1},
		{name: "labels kept, comments dropped",
			in:      "# HELP x_total X.\n# TYPE x_total counter\nx_total{plugin=\"cpu\",kind=\"a,b}\"} 3\n\n",
			want:    `x_total{plugin="cpu",kind="a,b}",instance="router-1",site="ho\"me\\"} 3 1767322800123` + "\n",
			samples: 1},
		{name: "a label of the same name is replaced, not duplicated",
			in:      `wifi{instance="plugin's",band="5g"} -61.5` + "\n",
			want:    `wifi{band="5g",instance="router-1",site="ho\"me\\"} -61.5 1767322800123` + "\n",
			samples: 1},
		{name: "an own timestamp is kept", in: "x 2 1700000000000\n",
			want: `x{instance="router-1",site="ho\"me\\"} 2 1700000000000` + "\n", samples: 1},
		{name: "special values and escapes", in: "a{l=\"x\\\"y\\\\z\\n\"} NaN\nb +Inf\nc -Inf\n",
			want: `a{l="x\"y\\z\n",instance="router-1",site="ho\"me\\"} NaN 1767322800123` + "\n" +
				`b{instance="router-1",site="ho\"me\\"} +Inf 1767322800123` + "\n" +
				`c{instance="router-1",site="ho\"me\\"} -Inf 1767322800123` + "\n",
			samples: 3},
		{name: "empty label set and CRLF", in: "a{} 1\r\n", want: `a{instance="router-1",site="ho\"me\\"} 1 1767322800123` + "\n", samples: 1},
		{name: "malformed lines skipped and counted",
			in:   "1bad 1\nx{l=\"open} 1\nx{l=unquoted} 1\nx 1 2 3\nx notanumber\nx{l=\"v\"}1\nx\ngood 1\n",
			want: `good{instance="router-1",site="ho\"me\\"} 1 1767322800123` + "\n", samples: 1, bad: 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, n, bad := appendSamples(nil, []byte(tt.in), extra, ms)
			if string(got) != tt.want || n != tt.samples || bad != tt.bad {
				t.Errorf("appendSamples(%q)\n = %q, %d samples, %d bad\nwant %q, %d, %d", tt.in, got, n, bad, tt.want, tt.samples, tt.bad)
			}
		})
	}
}

func TestAppendSamplesNoExtraLabels(t *testing.T) {
	got, n, _ := appendSamples(nil, []byte("up 1\nx{a=\"b\"} 2\n"), nil, 5)
	if want := "up{} 1 5\nx{a=\"b\"} 2 5\n"; string(got) != want || n != 2 {
		t.Errorf("got %q (%d), want %q", got, n, want)
	}
}

// TestAppendSamplesAgentExposition runs a capture of the agent's /metrics
// (heimnetz run on this machine with the bundled plugins, 851 samples)
// through: every sample line comes out, with the labels once.
func TestAppendSamplesAgentExposition(t *testing.T) {
	text := readTestdata(t, "metrics.txt")
	want := 0
	for line := range strings.Lines(string(text)) {
		if line != "\n" && !strings.HasPrefix(line, "#") {
			want++
		}
	}
	got, n, bad := appendSamples(nil, text, []Label{{"instance", "r1"}}, 1)
	if n != want || bad != 0 {
		t.Fatalf("%d samples, %d unreadable; want %d and 0", n, bad, want)
	}
	for line := range strings.Lines(string(got)) {
		if strings.Count(line, `instance="r1"`) != 1 || !strings.HasSuffix(line, " 1\n") {
			t.Fatalf("line %q: want instance once and the timestamp", line)
		}
	}
}

func TestCheckLabel(t *testing.T) {
	for _, tt := range []struct {
		name, value string
		ok          bool
	}{
		{"site", "home", true}, {"_x9", "ä", true}, {"", "v", false}, {"9x", "v", false},
		{"a-b", "v", false}, {"__name__", "v", false}, {"site", "", false},
		{"site", "a\tb", false}, {"site", "\xff", false}, {"site", strings.Repeat("v", 1025), false},
	} {
		if err := CheckLabel(tt.name, tt.value); (err == nil) != tt.ok {
			t.Errorf("CheckLabel(%q, %q) = %v, want ok=%v", tt.name, tt.value, err, tt.ok)
		}
	}
}

// FuzzAppendSamples: any input, never a panic; what comes out reads back
// as the same samples (the rewriting is idempotent), each line with every
// extra label exactly once.
func FuzzAppendSamples(f *testing.F) {
	f.Add([]byte("up 1\n"), "site", "home")
	f.Add([]byte(`x{site="a",b="c\"}"} 1 2`+"\n# c\n"), "site", "x\"y")
	// The start of a real exposition only: a whole one (61 KB) makes the
	// fuzzer spend its time minimizing.
	f.Add(readTestdata(f, "metrics.txt")[:2048], "instance", "r1")
	f.Fuzz(func(t *testing.T, in []byte, name, value string) {
		var extra []Label
		if CheckLabel(name, value) == nil {
			extra = []Label{{name, value}}
		}
		out, n, _ := appendSamples(nil, in, extra, 42)
		again, n2, bad2 := appendSamples(nil, out, extra, 7)
		if string(again) != string(out) || n2 != n || bad2 != 0 {
			t.Fatalf("not idempotent:\n in  %q\n out %q\n again %q (%d bad)", in, out, again, bad2)
		}
		if extra != nil {
			q := string(appendQuoted(nil, value))
			for line := range strings.Lines(string(out)) {
				if strings.Count(line, ","+name+"="+q+"}")+strings.Count(line, "{"+name+"="+q+"}") != 1 {
					t.Fatalf("line %q: want %s=%s once, at the end", line, name, q)
				}
			}
		}
	})
}

// readTestdata returns a file of testdata/.
func readTestdata(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}
