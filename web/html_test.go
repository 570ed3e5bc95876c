package web

import (
	"go/parser"
	"go/token"
	"html"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/valyala/bytebufferpool"

	"github.com/heimnetz/heimnetz/limits/oneline"
)

func TestAppendEscaped(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"plain text, ümlaut · →", "plain text, ümlaut · →"},
		{"<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
		{`a"b'c&d`, "a&#34;b&#39;c&amp;d"},
		{"&amp;", "&amp;amp;"},
		{"nul\x00end", "nul\uFFFDend"},
		{"\x1b[31m", "\uFFFD[31m"},
		{"nel\u0085 raw\x85 ls\u2028 rlo\u202e del\x7f", "nel\uFFFD raw\uFFFD ls\uFFFD rlo\uFFFD del\uFFFD"},
		{"tab\tstays", "tab\tstays"},
		{"1+1=2", "1+1=2"},
		{"<<>>", "&lt;&lt;&gt;&gt;"},
	} {
		if got := string(appendEscaped(nil, tc.in)); got != tc.want {
			t.Errorf("appendEscaped(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if got := string(appendEscaped([]byte("x"), []byte(tc.in))); got != "x"+tc.want {
			t.Errorf("appendEscaped(bytes %q) = %q, want %q", tc.in, got, "x"+tc.want)
		}
	}
}

// writeWith runs f on a fresh htmlWriter and returns what it wrote.
func writeWith(f func(w htmlWriter)) string {
	buf := bytebufferpool.Get()
	defer bytebufferpool.Put(buf)
	f(htmlWriter{b: buf})
	return string(buf.B)
}

func TestHTMLWriter(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    func(w htmlWriter)
		want string
	}{
		{"raw", func(w htmlWriter) { w.raw(`<p class="x">`) }, `<p class="x">`},
		{"text", func(w htmlWriter) { w.text(`<b>"hi"</b>`) }, "&lt;b&gt;&#34;hi&#34;&lt;/b&gt;"},
		{"attr", func(w htmlWriter) { w.attr("title", `" onmouseover="x`) }, ` title="&#34; onmouseover=&#34;x"`},
		{"path segment", func(w htmlWriter) { w.pathSegment(`a/b?c#d "e"<f>&g`) }, "a%2Fb%3Fc%23d%20%22e%22%3Cf%3E&amp;g"},
		{"int", func(w htmlWriter) { w.int(-42) }, "-42"},
		{"uint", func(w htmlWriter) { w.uint(18446744073709551615) }, "18446744073709551615"},
		{"fixed", func(w htmlWriter) { w.fixed(2.345, 2); w.raw(" "); w.fixed(99.95, 0) }, "2.35 100"},
		{"stamp", func(w htmlWriter) {
			w.stamp(time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("<&>", 3600)), dateTimeLayout)
		}, "2026-01-02 03:04:05 &lt;&amp;&gt;"},
	} {
		if got := writeWith(tc.f); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestWriteMeterAndSpark(t *testing.T) {
	got := writeWith(func(w htmlWriter) { writeMeter(w, 93.26) })
	want := `<svg class="meter" viewBox="0 0 100 6" preserveAspectRatio="none" role="img" aria-label="93 percent"><rect class="meter-bg" width="100" height="6" rx="3"/><rect class="meter-fg hot" width="93.3" height="6" rx="3"/></svg>`
	if got != want {
		t.Errorf("meter:\n got %s\nwant %s", got, want)
	}
	sp := newSparkline([]float64{0, 2, 1}, 96, 24, 40, `CPU <"x">`, 0, loadText)
	got = writeWith(func(w htmlWriter) { writeChart(w, &sp) })
	want = `<figure class="chart"><figcaption><span>CPU &lt;&#34;x&#34;&gt;</span><b>1.00</b></figcaption>` +
		`<svg class="spark" viewBox="0 0 96 24" width="96" height="24" preserveAspectRatio="none" role="img" aria-label="CPU &lt;&#34;x&#34;&gt;">` +
		`<polyline class="line" points="0,23 48,1 96,12"/></svg><span class="muted small">peak 2.00</span></figure>`
	if got != want {
		t.Errorf("chart:\n got %s\nwant %s", got, want)
	}
	empty := newSparkline(nil, 96, 24, 40, "Up", 0, rateText)
	if got := writeWith(func(w htmlWriter) { writeSpark(w, &empty) }); got != `<span class="muted small">collecting…</span>` {
		t.Errorf("empty spark = %q", got)
	}
}

// FuzzAppendEscaped checks that escaped text never contains markup
// characters and unescapes to the input (NUL read back as U+FFFD).
func FuzzAppendEscaped(f *testing.F) {
	f.Add(hostilePayload)
	f.Add("plain")
	f.Add("&#34;\x00'")
	f.Fuzz(func(t *testing.T, s string) {
		out := string(appendEscaped(nil, s))
		if strings.ContainsAny(out, "<>\"'\x00") {
			t.Fatalf("escaped %q contains a markup character: %q", s, out)
		}
		if at, r := oneline.Find(out); at >= 0 {
			t.Fatalf("escaped %q holds %U: %q", s, r, out)
		}
		if want := oneline.Clean(s, 3*len(s)); utf8.ValidString(s) && html.UnescapeString(out) != want {
			t.Fatalf("unescape(escape(%q)) = %q", s, html.UnescapeString(out))
		}
	})
}

// templatePackages may not be linked into the web package: the template
// engine's reflective method calls keep every exported method reachable
// through an interface in the binary (5 MB on mipsle).
var templatePackages = []string{"html/template", "text/template"}

func TestNoTemplateImports(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatalf("parse %s: %v", name, err)
		}
		checked++
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			for _, bad := range templatePackages {
				if path == bad {
					t.Errorf("%s imports %s; write pages with htmlWriter instead", name, path)
				}
			}
		}
	}
	if checked < 10 {
		t.Fatalf("checked only %d non-test files of the web package", checked)
	}
	goCmd, err := exec.LookPath("go") // go test puts its own GOROOT/bin first in PATH
	if err != nil || testing.Short() {
		return // no go command to list the dependencies with
	}
	out, err := exec.Command(goCmd, "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, bad := range templatePackages {
			if dep == bad {
				t.Errorf("the web package depends on %s through an import", dep)
			}
		}
	}
}

func TestChartStillCollectingShowsNoValue(t *testing.T) {
	sp := newSparkline([]float64{0}, 96, 24, 40, "CPU", cpuFullScale, pctText)
	got := writeWith(func(w htmlWriter) { writeChart(w, &sp) })
	want := `<figure class="chart"><figcaption><span>CPU</span></figcaption><span class="muted small">collecting…</span></figure>`
	if got != want {
		t.Errorf("chart with one sample:\n got %s\nwant %s", got, want)
	}
}
