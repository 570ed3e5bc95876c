//go:build https

package fasthttp

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/valyala/fasthttp/fasthttputil"
)

func TestServerTLS(t *testing.T) {
	t.Parallel()

	text := []byte("Make fasthttp great again")
	ln := fasthttputil.NewInmemoryListener()

	s := &Server{
		Handler: func(ctx *RequestCtx) {
			ctx.Write(text) //nolint:errcheck
		},
	}

	certData, keyData, err := GenerateTestCertificate("localhost")
	if err != nil {
		t.Fatal(err)
	}

	err = s.AppendCertEmbed(certData, keyData)
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		err = s.ServeTLS(ln, "", "")
		if err != nil {
			t.Error(err)
		}
	}()

	c := &Client{
		ReadTimeout: time.Second * 2,
		Dial: func(addr string) (net.Conn, error) {
			return ln.Dial()
		},
		TLSConfig: &tls.Config{
			InsecureSkipVerify: true,
		},
	}

	req, res := AcquireRequest(), AcquireResponse()
	req.SetRequestURI("https://some.url")

	err = c.Do(req, res)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(text, res.Body()) {
		t.Fatal("error transmitting information")
	}
}

func TestServerAppendCertEmbedConcurrent(t *testing.T) {
	t.Parallel()

	certData, keyData, err := GenerateTestCertificate("localhost")
	if err != nil {
		t.Fatal(err)
	}

	var s Server
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			if err := s.AppendCertEmbed(certData, keyData); err != nil {
				t.Errorf("unexpected error: %v", err)
			}
		})
	}
	wg.Wait()

	s.mu.Lock()
	certs := len(s.TLSConfig.Certificates)
	s.mu.Unlock()
	if certs != 10 {
		t.Fatalf("unexpected certificate count: %d. Expecting 10", certs)
	}
}

// IsTLS unwraps perIPConn; TLSConnectionState must agree with it.
func TestTLSConnectionStateThroughPerIPConn(t *testing.T) {
	certData, keyData, err := GenerateTestCertificate("localhost")
	if err != nil {
		t.Fatal(err)
	}
	cert, err := tls.X509KeyPair(certData, keyData)
	if err != nil {
		t.Fatal(err)
	}
	serverSide, clientSide := net.Pipe()
	defer clientSide.Close()
	tlsServer := tls.Server(serverSide, &tls.Config{Certificates: []tls.Certificate{cert}})
	go func() {
		c := tls.Client(clientSide, &tls.Config{InsecureSkipVerify: true})
		_ = c.Handshake()
	}()
	if err := tlsServer.Handshake(); err != nil {
		t.Fatal(err)
	}

	var ctx RequestCtx
	ctx.c = &perIPConn{Conn: tlsServer}
	if !ctx.IsTLS() {
		t.Fatal("IsTLS() = false through perIPConn")
	}
	if ctx.TLSConnectionState() == nil {
		t.Fatal("IsTLS() reports TLS but TLSConnectionState() is nil")
	}
}

func TestServerConcurrencyTLSRejectDoesNotBlockAccept(t *testing.T) {
	t.Parallel()

	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	certData, keyData, err := GenerateTestCertificate("localhost")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{
		Handler: func(ctx *RequestCtx) {
			ctx.WriteString("OK") //nolint:errcheck
		},
		Concurrency: 1,
		ReadTimeout: testTimeout(2 * time.Second),
		Logger:      &testLogger{},
	}
	if err = s.AppendCertEmbed(certData, keyData); err != nil {
		t.Fatal(err)
	}
	serverErr := make(chan error, 1)
	go func() {
		serverErr <- s.ServeTLS(ln, "", "")
	}()
	defer func() {
		ln.Close()
		select {
		case err := <-serverErr:
			if err != nil {
				t.Errorf("ServeTLS: %v", err)
			}
		case <-time.After(testTimeout(3 * time.Second)):
			t.Error("ServeTLS did not stop after closing its listener")
		}
	}()

	tlsConfig := &tls.Config{InsecureSkipVerify: true}
	dialTLS := func() (*tls.Conn, error) {
		return tls.DialWithDialer(&net.Dialer{Timeout: testTimeout(time.Second)},
			"tcp", ln.Addr().String(), tlsConfig)
	}
	// Finish the first handshake so its worker is definitely occupied while
	// it waits for an HTTP request.
	c1, err := dialTLS()
	if err != nil {
		t.Fatal(err)
	}
	defer c1.Close()

	// The over-limit connection never sends a ClientHello. It must be closed
	// before the server attempts to accept another connection.
	c2, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	if err = c2.SetReadDeadline(time.Now().Add(testTimeout(500 * time.Millisecond))); err != nil {
		t.Fatal(err)
	}
	var b [1]byte
	if _, err = c2.Read(b[:]); err != io.EOF {
		t.Fatalf("rejected TLS connection should close without a handshake; read error: %v", err)
	}
	c1.Close()

	deadline := time.Now().Add(testTimeout(3 * time.Second))
	for s.open.Load() != 1 {
		if time.Now().After(deadline) {
			t.Fatal("first TLS connection did not close")
		}
		time.Sleep(time.Millisecond)
	}
	var c3 *tls.Conn
	for time.Now().Before(deadline) {
		c3, err = dialTLS()
		if err == nil {
			break
		}
		time.Sleep(time.Millisecond)
	}
	if err != nil {
		t.Fatalf("TLS handshake after worker was released: %v", err)
	}
	defer c3.Close()
	if _, err = c3.Write([]byte("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")); err != nil {
		t.Fatal(err)
	}
	var resp Response
	if err = resp.Read(bufio.NewReader(c3)); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode() != StatusOK || string(resp.Body()) != "OK" {
		t.Fatalf("unexpected response: status=%d body=%q", resp.StatusCode(), resp.Body())
	}
}

func TestServerMaxConnsPerIPTLSRejectDoesNotBlockAccept(t *testing.T) {
	t.Parallel()

	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()

	certData, keyData, err := GenerateTestCertificate("localhost")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{
		Handler: func(ctx *RequestCtx) {
			ctx.WriteString("OK") //nolint:errcheck
		},
		ReadTimeout:   testTimeout(2 * time.Second),
		MaxConnsPerIP: 1,
		Logger:        &testLogger{},
	}
	if err = s.AppendCertEmbed(certData, keyData); err != nil {
		t.Fatal(err)
	}
	serverErr := make(chan error, 1)
	go func() {
		serverErr <- s.ServeTLS(ln, "", "")
	}()
	defer func() {
		ln.Close()
		select {
		case err := <-serverErr:
			if err != nil {
				t.Errorf("ServeTLS: %v", err)
			}
		case <-time.After(testTimeout(3 * time.Second)):
			t.Error("ServeTLS did not stop after closing its listener")
		}
	}()

	// The first client occupies the per-IP slot without sending a ClientHello.
	c1, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c1.Close()

	waitForCount := func(want int) {
		t.Helper()
		deadline := time.Now().Add(testTimeout(3 * time.Second))
		for time.Now().Before(deadline) {
			s.perIPConnCounter.lock.Lock()
			count := 0
			for _, n := range s.perIPConnCounter.m {
				count += n
			}
			s.perIPConnCounter.lock.Unlock()
			if count == want {
				return
			}
			time.Sleep(time.Millisecond)
		}
		t.Fatalf("per-IP connection count did not become %d", want)
	}
	waitForCount(1)

	// The second client also sends nothing. Its rejected TLS socket must be
	// closed without a handshake on the accept loop.
	c2, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	if err = c2.SetReadDeadline(time.Now().Add(testTimeout(500 * time.Millisecond))); err != nil {
		t.Fatal(err)
	}
	var b [1]byte
	if _, err = c2.Read(b[:]); err != io.EOF {
		t.Fatalf("rejected TLS connection should close without a handshake; read error: %v", err)
	}
	c1.Close()
	waitForCount(0)

	c3, err := tls.DialWithDialer(&net.Dialer{Timeout: testTimeout(time.Second)},
		"tcp", ln.Addr().String(), &tls.Config{InsecureSkipVerify: true})
	if err != nil {
		t.Fatalf("TLS handshake after per-IP slot was released: %v", err)
	}
	defer c3.Close()
	if _, err = c3.Write([]byte("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")); err != nil {
		t.Fatal(err)
	}
	var resp Response
	if err = resp.Read(bufio.NewReader(c3)); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode() != StatusOK || string(resp.Body()) != "OK" {
		t.Fatalf("unexpected response: status=%d body=%q", resp.StatusCode(), resp.Body())
	}
}

func TestServerServeTLSEmbed(t *testing.T) {
	t.Parallel()

	ln := fasthttputil.NewInmemoryListener()

	certData, keyData, err := GenerateTestCertificate("localhost")
	if err != nil {
		t.Fatal(err)
	}

	// start the server
	ch := make(chan struct{})
	go func() {
		err := ServeTLSEmbed(ln, certData, keyData, func(ctx *RequestCtx) {
			if !ctx.IsTLS() {
				ctx.Error("expecting tls", StatusBadRequest)
				return
			}
			if !ctx.URI().isHTTPS() {
				ctx.Error(fmt.Sprintf("unexpected scheme=%q. Expecting %q", ctx.URI().Scheme(), "https"), StatusBadRequest)
				return
			}
			ctx.WriteString("success") //nolint:errcheck
		})
		if err != nil {
			t.Errorf("unexpected error: %v", err)
		}
		close(ch)
	}()

	// establish connection to the server
	conn, err := ln.Dial()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
	tlsConn := tls.Client(conn, &tls.Config{
		InsecureSkipVerify: true,
	})

	// send request
	if _, err = tlsConn.Write([]byte("GET / HTTP/1.1\r\nHost: aaa\r\n\r\n")); err != nil {
		t.Fatalf("unexpected error: %v", err)
	}

	// read response
	respCh := make(chan struct{})
	go func() {
		br := bufio.NewReader(tlsConn)
		var resp Response
		if err := resp.Read(br); err != nil {
			t.Error("unexpected error")
		}
		body := resp.Body()
		if string(body) != "success" {
			t.Errorf("unexpected response body %q. Expecting %q", body, "success")
		}
		close(respCh)
	}()
	select {
	case <-respCh:
	case <-time.After(testTimeout(time.Second)):
		t.Fatal("timeout")
	}

	// close the server
	if err = ln.Close(); err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
	select {
	case <-ch:
	case <-time.After(testTimeout(time.Second)):
		t.Fatal("timeout")
	}
}

func TestServerTLSReadTimeout(t *testing.T) {
	t.Parallel()

	ln := fasthttputil.NewInmemoryListener()

	s := &Server{
		ReadTimeout: time.Millisecond * 500,
		Logger:      &testLogger{}, // Ignore log output.
		Handler: func(ctx *RequestCtx) {
		},
	}

	certData, keyData, err := GenerateTestCertificate("localhost")
	if err != nil {
		t.Fatal(err)
	}

	err = s.AppendCertEmbed(certData, keyData)
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		err = s.ServeTLS(ln, "", "")
		if err != nil {
			t.Error(err)
		}
	}()

	c, err := ln.Dial()
	if err != nil {
		t.Error(err)
	}

	r := make(chan error)

	go func() {
		b := make([]byte, 1)
		_, err := c.Read(b)
		c.Close()
		r <- err
	}()

	select {
	case err = <-r:
	case <-time.After(testTimeout(time.Second * 2)):
	}

	if err == nil {
		t.Error("server didn't close connection after timeout")
	}
}
