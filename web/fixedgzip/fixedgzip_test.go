package fixedgzip

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	kflate "github.com/klauspost/compress/flate"
)

// inputs are the shapes that exercise the encoder: empty and tiny input,
// runs (overlapping matches), the longest match, matches at the largest
// distance, incompressible bytes and the agent's real responses.
func inputs(t testing.TB) map[string][]byte {
	random := xorshift(100<<10, 2463534242)
	// far: 300 random bytes again after exactly maxOffset bytes; the run
	// between them takes one hash slot, so the first copy stays findable.
	far := append(append(append([]byte{}, random[:300]...), bytes.Repeat([]byte{'z'}, maxOffset-300)...), random[:300]...)
	in := map[string][]byte{
		"empty":       {},
		"one byte":    {'x'},
		"three bytes": []byte("abc"),
		"run":         bytes.Repeat([]byte{'a'}, 10000),
		"longest":     bytes.Repeat([]byte("0123456789"), 200),
		"period 3":    bytes.Repeat([]byte("abc"), 1000),
		"far match":   far,
		"too far":     append(append([]byte{}, random[:maxOffset+100]...), random[:100]...),
		"random":      random,
		"all bytes": func() []byte {
			b := make([]byte, 256*4)
			for i := range b {
				b[i] = byte(i)
			}
			return b
		}(),
	}
	files, err := filepath.Glob("testdata/*")
	if err != nil || len(files) == 0 {
		t.Fatalf("testdata: %v", err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		in[filepath.Base(f)] = b
	}
	return in
}

func gunzip(t testing.TB, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not gzip: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("gzip stream: %v", err)
	}
	return out
}

func TestRoundTrip(t *testing.T) {
	for name, src := range inputs(t) {
		gz := Append([]byte("prefix"), src)
		if !bytes.HasPrefix(gz, []byte("prefix")) {
			t.Fatalf("%s: dst lost", name)
		}
		if got := gunzip(t, gz[6:]); !bytes.Equal(got, src) {
			t.Fatalf("%s: decodes to %d bytes, want the %d sent", name, len(got), len(src))
		}
		raw := AppendDeflate(nil, src)
		got, err := io.ReadAll(flate.NewReader(bytes.NewReader(raw)))
		if err != nil || !bytes.Equal(got, src) {
			t.Fatalf("%s: raw deflate round trip: %v", name, err)
		}
	}
}

// TestRatio checks the encoder finds the matches text is made of: the
// agent's responses and repetitive input shrink to a fraction, and
// incompressible input grows by at most 1/8 (9-bit literals).
func TestRatio(t *testing.T) {
	in := inputs(t)
	for _, tc := range []struct {
		name     string
		maxRatio float64
	}{
		{"metrics.txt", 0.30}, {"overview.html", 0.40}, {"plugins.json", 0.60},
		{"run", 0.01}, {"longest", 0.03}, {"far match", 0.05}, {"random", 1.126},
	} {
		src := in[tc.name]
		got := float64(len(Append(nil, src))) / float64(len(src))
		if got > tc.maxRatio {
			t.Errorf("%s: %d -> %d bytes (%.3f), want at most %.3f", tc.name, len(src), len(Append(nil, src)), got, tc.maxRatio)
		}
	}
	// The far match must be found: the same input without its repeated
	// 300-byte tail is at most ~15 bytes shorter when encoded.
	far := in["far match"]
	if with, without := len(Append(nil, far)), len(Append(nil, far[:len(far)-300])); with-without > 20 {
		t.Errorf("match at distance %d not used: %d vs %d bytes", maxOffset, with, without)
	}
}

func TestDeterministic(t *testing.T) {
	src := inputs(t)["metrics.txt"]
	if !bytes.Equal(Append(nil, src), Append(nil, src)) {
		t.Fatal("two encodings of the same input differ")
	}
}

func TestAllocs(t *testing.T) {
	src := inputs(t)["metrics.txt"]
	dst := make([]byte, 0, len(src))
	Append(dst[:0], src) // warm the pool
	if n := testing.AllocsPerRun(20, func() { Append(dst[:0], src) }); n > 0.5 {
		t.Errorf("%.1f allocations per call with a large enough dst, want 0", n)
	}
}

func FuzzRoundTrip(f *testing.F) {
	for _, s := range []string{"", "a", "aaaaaaaaaaaaaaaaaaaa", "abcabcabcabcabc", "heimnetz_plugin_runs_total{plugin=\"net\"} 1\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		if got := gunzip(t, Append(nil, src)); !bytes.Equal(got, src) {
			t.Fatalf("round trip of %d bytes gave %d", len(src), len(got))
		}
		// Repeated, the input must compress: the second copy is a match.
		if len(src) >= 64 && len(src) <= maxOffset {
			twice := append(append([]byte{}, src...), src...)
			if a, b := len(Append(nil, twice)), len(Append(nil, src)); a > b+len(src)/20+16 {
				t.Fatalf("second copy of %d bytes not matched: %d vs %d", len(src), a, b)
			}
		}
	})
}

// BenchmarkAppend compares this encoder with klauspost/compress's
// stateless one (what web used before) on the agent's responses: time,
// bytes allocated per call and output size side by side.
func BenchmarkAppend(b *testing.B) {
	in := inputs(b)
	for _, name := range []string{"overview.html", "metrics.txt", "plugins.json"} {
		src := in[name]
		b.Run("fixed/"+strings.TrimSuffix(name, filepath.Ext(name)), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(src)))
			var out []byte
			for b.Loop() {
				out = Append(out[:0], src)
			}
			b.ReportMetric(float64(len(out)), "out-bytes")
		})
		b.Run("klauspost-stateless/"+strings.TrimSuffix(name, filepath.Ext(name)), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(src)))
			var out bytes.Buffer
			for b.Loop() {
				out.Reset()
				if err := kflate.StatelessDeflate(&out, src, true, nil); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(out.Len()+18), "out-bytes")
		})
	}
}

// xorshift returns n pseudo-random bytes, the same for the same seed.
func xorshift(n int, seed uint32) []byte {
	b := make([]byte, n)
	for i := range b {
		seed ^= seed << 13
		seed ^= seed >> 17
		seed ^= seed << 5
		b[i] = byte(seed)
	}
	return b
}

// TestEveryMatchCode writes, after a window of literals, a back-reference
// of every length 3-258 at every distance code's first and last distance
// (and one past the first), and checks compress/flate expands each to the
// bytes it names. The encoder itself never emits length 3 and reaches only
// the distances its input happens to have.
func TestEveryMatchCode(t *testing.T) {
	var dists []int
	for i, base := range distBase {
		dists = append(dists, int(base), int(base)+1)
		if i+1 < len(distBase) {
			dists = append(dists, int(distBase[i+1])-1)
		}
	}
	dists = append(dists, maxOffset-1, maxOffset)

	want := xorshift(maxOffset, 7)
	w := bitWriter{}
	w.write(1|1<<1, 3)
	for _, c := range want {
		w.literal(c)
	}
	for n := 3; n <= maxMatch; n++ {
		for _, d := range dists {
			w.match(n, d)
			for k := 0; k < n; k++ { // byte by byte: overlapping copies
				want = append(want, want[len(want)-d])
			}
		}
	}
	w.symbol(256)
	got, err := io.ReadAll(flate.NewReader(bytes.NewReader(w.flush())))
	if err != nil {
		t.Fatalf("decoding: %v", err)
	}
	if !bytes.Equal(got, want) {
		i := 0
		for i < len(got) && i < len(want) && got[i] == want[i] {
			i++
		}
		t.Fatalf("decoded %d bytes, want %d; first difference at byte %d", len(got), len(want), i)
	}
}

// TestSizes round-trips inputs at the window's and the hash table's
// boundaries and past a mebibyte, in the shapes that stress them most.
func TestSizes(t *testing.T) {
	shapes := map[string]func(n int) []byte{
		"random": func(n int) []byte { return xorshift(n, 99) },
		"one byte repeated": func(n int) []byte {
			return bytes.Repeat([]byte{0}, n)
		},
		"text": func(n int) []byte {
			line := []byte("heimnetz_plugin_runs_total{plugin=\"wifi\",result=\"ok\"} 12345\n")
			return bytes.Repeat(line, n/len(line)+1)[:n]
		},
	}
	for _, size := range []int{maxOffset - 1, maxOffset, maxOffset + 1, 2*maxOffset - 1, 2 * maxOffset, 2*maxOffset + 1, 1<<20 + 1, 3<<20 + 7} {
		for name, shape := range shapes {
			src := shape(size)
			if got := gunzip(t, Append(nil, src)); !bytes.Equal(got, src) {
				t.Fatalf("%s, %d bytes: round trip differs", name, size)
			}
		}
	}
}

// TestPoolReuse encodes a large input and then many small ones: a table
// left from the large input would hold positions past the small inputs'
// ends, which must never be used as matches.
func TestPoolReuse(t *testing.T) {
	big := xorshift(1<<20, 3)
	text := []byte("abcdabcdabcd heimnetz heimnetz")
	for round := 0; round < 50; round++ {
		Append(nil, big)
		for n := 0; n <= len(text); n++ {
			if got := gunzip(t, Append(nil, text[:n])); !bytes.Equal(got, text[:n]) {
				t.Fatalf("round %d: %q after a large input decodes to %q", round, text[:n], got)
			}
		}
	}
}
