package web

import (
	"bytes"
	"fmt"
	"html"
	"mime/multipart"
	"strings"
	"testing"
)

// TestInstallConfigProblem checks that an install the agent's
// configuration prevents is the owner's to fix, not a server fault: 409
// with the backend's text (naming the setting) in the JSON API and on the
// page the Settings form leads to.
func TestInstallConfigProblem(t *testing.T) {
	problems := []struct{ name, fix string }{
		{"no plugins directory", "no plugins directory configured; set plugins_dir in the config or pass --plugins"},
		{"directory not writable", `plugins directory "/data/plugins" is not writable: permission denied; make it writable by the agent's user or set plugins_dir`},
		{"no trusted keys", "signed packages are required but trusted_keys is empty; add the publisher's key to trusted_keys or install with allow_unsigned"},
	}
	e := newTestEnv(t)
	s, _ := e.formLogin("/")
	for _, p := range problems {
		t.Run(p.name, func(t *testing.T) {
			e.b.mu.Lock()
			e.b.installErr = fmt.Errorf("%w: %s", ErrConfig, p.fix)
			e.b.mu.Unlock()
			want := "agent configuration: " + p.fix

			r := e.do("POST", "/api/v1/plugins/install?allow_unsigned=true", string(pluginPackage(t, "dns-check", true)), e.bearer(), "Content-Type: application/gzip")
			if r.code != 409 || !strings.Contains(r.body, `{"error":`) || !strings.Contains(r.body, jsonText(want)) {
				t.Errorf("API install = %d %s, want 409 with %q", r.code, r.body, want)
			}

			var body bytes.Buffer
			mw := multipart.NewWriter(&body)
			mw.WriteField("csrf", s.csrf)
			fw, _ := mw.CreateFormFile("package", "dns-check.tar.gz")
			fw.Write(pluginPackage(t, "dns-check", true))
			mw.Close()
			r = e.do("POST", "/plugins/install", body.String(), "Content-Type: "+mw.FormDataContentType(), "Cookie: "+s.cookie)
			if r.code != 409 || !strings.Contains(r.body, `<p class="err">`+html.EscapeString(want)+`</p>`+"\n"+`<p><a href="/settings">Back to the settings</a></p>`) {
				t.Errorf("form install = %d, want 409 showing %q:\n%s", r.code, want, clip(r.body, 2000))
			}
		})
	}
	if logs := e.logs.String(); strings.Contains(logs, "web: backend error") {
		t.Errorf("a configuration problem was logged as a backend error:\n%s", logs)
	}
	if logs := e.logs.String(); !strings.Contains(logs, "refused by the agent's configuration") {
		t.Errorf("a configuration problem was not logged for the owner:\n%s", logs)
	}
}

// jsonText is s as encoding/json writes it inside a string with HTML
// escaping on (quotes as \", <>& as \u003c \u003e \u0026).
func jsonText(s string) string {
	r := strings.NewReplacer(`"`, `\"`, "<", `\u003c`, ">", `\u003e`, "&", `\u0026`)
	return r.Replace(s)
}
