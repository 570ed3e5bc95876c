package web

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"mime/multipart"
	"slices"
	"strings"
	"testing"
)

// pluginPackage builds a tar.gz plugin package for the memBackend.
func pluginPackage(t *testing.T, name string, signed bool) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	files := map[string]string{
		name + "/manifest.yml": "name: " + name + "\nversion: 1.0.0\ninterval: 15s\n",
		name + "/main.lua":     "function collect() end\n",
	}
	if signed {
		files[name+"/signature"] = "sig"
	}
	for n, body := range files {
		if err := tw.WriteHeader(&tar.Header{Name: n, Mode: 0o644, Size: int64(len(body))}); err != nil {
			t.Fatal(err)
		}
		tw.Write([]byte(body))
	}
	tw.Close()
	zw.Close()
	return buf.Bytes()
}

func TestEventsAPI(t *testing.T) {
	e := newTestEnv(t)
	e.b.mu.Lock()
	for i := range 12 {
		sev := SeverityInfo
		if i%3 == 0 {
			sev = SeverityCritical
		}
		e.b.addEvent("limit_exceeded", sev, "net", "event "+itoa(uint64(i)))
	}
	e.b.mu.Unlock()

	type eventsResp struct {
		Events []Event    `json:"events"`
		Stats  EventStats `json:"stats"`
	}
	var got eventsResp
	e.get("/api/v1/events?limit=5").json(t, &got)
	if len(got.Events) != 5 || got.Events[0].Seq != 12 || got.Stats.Total != 12 || got.Stats.UnackedCritical != 4 {
		t.Fatalf("limit=5: %d events, first seq %d, stats %+v", len(got.Events), got.Events[0].Seq, got.Stats)
	}
	e.get("/api/v1/events?severity=critical&before=10").json(t, &got)
	if len(got.Events) != 3 || got.Events[0].Seq != 7 {
		t.Fatalf("severity=critical&before=10: %+v", got.Events)
	}
	r := e.do("POST", "/api/v1/events/ack", `{"seqs":[7,4]}`, e.bearer())
	if r.code != 200 {
		t.Fatalf("ack = %d %s", r.code, r.body)
	}
	e.get("/api/v1/events?severity=critical&unacked=true").json(t, &got)
	if len(got.Events) != 2 || got.Stats.UnackedCritical != 2 {
		t.Fatalf("after ack: %d unacked critical events, stats %+v", len(got.Events), got.Stats)
	}

	bad := []struct{ query, msg string }{
		{"limit=0", "limit must be"},
		{"limit=501", "limit must be"},
		{"limit=abc", "limit must be"},
		{"before=-1", "before must be"},
		{"severity=loud", "severity must be"},
		{"type=%3Cscript%3E", "type must match"},
		{"plugin=Bad", "plugin must match"},
		{"unacked=maybe", "unacked must be"},
		{"limit=1&limit=2", "given twice"},
		{"sort=asc", `unknown parameter \"sort\"`},
		{"type=" + strings.Repeat("a", 65), "longer than 64"},
	}
	for _, b := range bad {
		r := e.get("/api/v1/events?" + b.query)
		if r.code != 400 || !strings.Contains(r.body, b.msg) || !strings.HasPrefix(r.body, `{"error":`) {
			t.Errorf("?%s = %d %s, want 400 %q", b.query, r.code, r.body, b.msg)
		}
	}
	for _, body := range []string{`{"seqs":[]}`, `{"seqs":[0]}`, `{"seqs":"1"}`, `{"seqs":[1],"x":1}`, `{"seqs":[1]} {}`, `[`, ``} {
		r := e.do("POST", "/api/v1/events/ack", body, e.bearer())
		if r.code != 400 {
			t.Errorf("ack body %q = %d, want 400", body, r.code)
		}
	}
	// Class 8 of issue 13: an unknown sequence number is the client's
	// mistake, 404 with a JSON error, never 500.
	for _, path := range []string{"/api/v1/events/ack"} {
		r := e.do("POST", path, `{"seqs":[999999]}`, e.bearer())
		if r.code != 404 || !strings.HasPrefix(r.body, `{"error":`) || !strings.Contains(r.body, "999999") {
			t.Errorf("ack of an unknown event = %d %s, want 404 with a JSON error naming it", r.code, r.body)
		}
	}
}

func TestSettingsAPI(t *testing.T) {
	e := newTestEnv(t)
	r := e.do("PUT", "/api/v1/settings", `{"log_level":"debug","event_retention":5000}`, e.bearer())
	var s Settings
	r.json(t, &s)
	want := Settings{LogLevel: "debug", BreaksBeforeDisable: 5, EventRetention: 5000}
	if r.code != 200 || s != want {
		t.Fatalf("PUT = %d %+v, want %+v", r.code, s, want)
	}
	if got := e.b.callLog(); len(got) != 1 || got[0] != "settings" {
		t.Fatalf("calls %v, want one settings update", got)
	}
	r = e.do("PUT", "/api/v1/settings", `{"log_level":"loud"}`, e.bearer())
	if r.code != 400 || !strings.Contains(r.body, "log_level must be") {
		t.Fatalf("bad PUT = %d %s", r.code, r.body)
	}
	if got := e.b.callLog(); len(got) != 1 {
		t.Fatalf("a rejected PUT reached the backend: calls %v", got)
	}
}

func TestInstallAPI(t *testing.T) {
	e := newTestEnv(t)
	pkg := pluginPackage(t, "wan-latency", false)
	r := e.do("POST", "/api/v1/plugins/install", string(pkg), e.bearer(), "Content-Type: application/gzip")
	if r.code != 400 || !strings.Contains(r.body, "unsigned") {
		t.Fatalf("unsigned install = %d %s, want 400", r.code, r.body)
	}
	r = e.do("POST", "/api/v1/plugins/install?allow_unsigned=true", string(pkg), e.bearer(), "Content-Type: application/gzip")
	if r.code != 201 || r.body != "{\"name\":\"wan-latency\"}\n" {
		t.Fatalf("install = %d %s, want 201", r.code, r.body)
	}
	if r := e.get("/api/v1/plugins/wan-latency"); r.code != 200 {
		t.Fatalf("installed plugin not served: %d", r.code)
	}
	r = e.do("POST", "/api/v1/plugins/install?allow_unsigned=perhaps", string(pkg), e.bearer())
	if r.code != 400 {
		t.Fatalf("bad allow_unsigned = %d", r.code)
	}
	// A backend conflict (here: the signer of the installed version) is
	// 409 with its text; allow_signer_change reaches the backend.
	r = e.do("POST", "/api/v1/plugins/install?allow_unsigned=true", string(pkg), e.bearer(), "Content-Type: application/gzip")
	if r.code != 409 || !strings.Contains(r.body, "another signer") {
		t.Fatalf("reinstall without allow_signer_change = %d %s, want 409", r.code, r.body)
	}
	r = e.do("POST", "/api/v1/plugins/install?allow_unsigned=true&allow_signer_change=true", string(pkg), e.bearer(), "Content-Type: application/gzip")
	if r.code != 201 || !slices.Contains(e.b.callLog(), "install wan-latency {AllowUnsigned:true AllowSignerChange:true}") {
		t.Fatalf("reinstall with allow_signer_change = %d %s", r.code, r.body)
	}
	r = e.do("POST", "/api/v1/plugins/install?allow_signer_change=maybe", string(pkg), e.bearer())
	if r.code != 400 || !strings.Contains(r.body, "allow_signer_change must be true or false") {
		t.Fatalf("bad allow_signer_change = %d %s", r.code, r.body)
	}
	r = e.do("POST", "/api/v1/plugins/install", "", e.bearer())
	if r.code != 400 || !strings.Contains(r.body, "empty body") {
		t.Fatalf("empty install = %d %s", r.code, r.body)
	}

	// The page's multipart form, with the session's CSRF field.
	s, _ := e.formLogin("/")
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", s.csrf)
	fw, _ := mw.CreateFormFile("package", "dns-check.tar.gz")
	fw.Write(pluginPackage(t, "dns-check", true))
	mw.Close()
	r = e.do("POST", "/plugins/install", body.String(), "Content-Type: "+mw.FormDataContentType(), "Cookie: "+s.cookie)
	if r.code != 303 || r.header.Get("Location") != "/plugins/dns-check?done=install" {
		t.Fatalf("form install = %d %q %s", r.code, r.header.Get("Location"), clip(r.body, 300))
	}
	// The form's allow_signer_change checkbox reaches the backend.
	body.Reset()
	mw = multipart.NewWriter(&body)
	mw.WriteField("csrf", s.csrf)
	mw.WriteField("allow_signer_change", "on")
	fw, _ = mw.CreateFormFile("package", "dns-check.tar.gz")
	fw.Write(pluginPackage(t, "dns-check", true))
	mw.Close()
	r = e.do("POST", "/plugins/install", body.String(), "Content-Type: "+mw.FormDataContentType(), "Cookie: "+s.cookie)
	if r.code != 303 || !slices.Contains(e.b.callLog(), "install dns-check {AllowUnsigned:false AllowSignerChange:true}") {
		t.Fatalf("form reinstall with allow_signer_change = %d %s", r.code, clip(r.body, 300))
	}
	body.Reset()
	mw = multipart.NewWriter(&body)
	fw, _ = mw.CreateFormFile("package", "x.tar.gz")
	fw.Write(pluginPackage(t, "other", true))
	mw.Close()
	r = e.do("POST", "/plugins/install", body.String(), "Content-Type: "+mw.FormDataContentType(), "Cookie: "+s.cookie)
	if r.code != 403 {
		t.Fatalf("form install without csrf = %d, want 403", r.code)
	}
}

func TestOverviewAPIAndHistory(t *testing.T) {
	e := newTestEnv(t)
	e.srv.sampleNow()
	e.b.mu.Lock()
	e.b.plugins["net"].CPUSeconds += 1.5
	e.b.overview.Interfaces[0].RxBytes += 1 << 20
	e.b.mu.Unlock()
	e.srv.history.last = e.srv.history.last.Add(-15e9) // the next sample is 15 s later
	e.srv.sampleNow()
	var h HistorySnapshot
	e.get("/api/v1/history").json(t, &h)
	cpu := h.Plugins["net"].CPUPercent
	// The rates divide by the real time between the samples: 15 s plus
	// however long the test took, which under qemu is tens of ms.
	if len(cpu) != 2 || cpu[1] < 9.5 || cpu[1] > 10.01 {
		t.Fatalf("net cpu history = %v, want [0 ~10]", cpu)
	}
	rx := h.Interfaces["br-lan"].RxBytesPerSecond
	if len(rx) != 2 || rx[1] < float64(1<<20)/15.5 || rx[1] > float64(1<<20)/15+1 {
		t.Fatalf("br-lan rx history = %v, want [0 ~69905]", rx)
	}
	var v OverviewView
	e.get("/api/v1/overview").json(t, &v)
	if v.Device.Model != "GL.iNet GL-MT300N-V2" || len(v.Plugins) != 3 || v.Runtime.TotalBytes == 0 || v.Agent.Version != "0.1.0-test" {
		t.Fatalf("overview = %+v", v)
	}
	var pv PluginView
	e.get("/api/v1/plugins/net").json(t, &pv)
	if len(pv.History.CPUPercent) != 2 || pv.Name != "net" || len(pv.Limits) != 4 {
		t.Fatalf("plugin view = %+v", pv)
	}
}
