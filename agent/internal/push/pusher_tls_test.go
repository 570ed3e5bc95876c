//go:build https

package push

import (
	"context"
	"crypto/x509"
	"strings"
	"testing"
	"time"

	"github.com/valyala/fasthttp"
	"github.com/valyala/fasthttp/fasthttputil"
)

// TestPushHTTPS: the https build pushes over TLS, checking the server's
// certificate; an untrusted one is a retried failure, nothing is sent.
func TestPushHTTPS(t *testing.T) {
	certPEM, keyPEM, err := fasthttp.GenerateTestCertificate("vm.test")
	if err != nil {
		t.Fatal(err)
	}
	r := &receiver{status: fasthttp.StatusNoContent, ln: fasthttputil.NewInmemoryListener()}
	// quiet: the refused handshakes are expected.
	srv := &fasthttp.Server{Handler: r.handle, Logger: quiet{}}
	go srv.ServeTLSEmbed(r.ln, certPEM, keyPEM) //nolint:errcheck // ends when the listener closes
	t.Cleanup(func() { r.ln.Close() })
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(certPEM) {
		t.Fatal("bad test certificate")
	}
	for _, trusted := range []bool{false, true} {
		clk := newFakeClock()
		p, set := newTestPusher(t, r, clk, func(o *Options) {
			o.URL = "https://vm.test/api/v1/import/prometheus"
			if trusted {
				o.tls.roots = roots
			}
		})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { p.Run(ctx); close(done) }()
		d := clk.next(t)
		cancel()
		<-done
		if !trusted {
			if d != time.Second || metricValue(set, "heimnetz_push_samples_total") != "0" || len(r.got()) != 0 {
				t.Errorf("untrusted certificate: wait %v, delivered %s, %d requests; want a retry and nothing sent",
					d, metricValue(set, "heimnetz_push_samples_total"), len(r.got()))
			}
			continue
		}
		got := r.got()
		if len(got) == 0 || !strings.Contains(got[0].body, `instance="router-1"`) {
			t.Fatalf("over https: %d requests %v", len(got), got)
		}
	}
}

// quiet is a fasthttp logger that drops everything.
type quiet struct{}

func (quiet) Printf(string, ...any) {}
