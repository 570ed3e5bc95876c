package fasthttp

// heimnetz patch: tests of heimnetz_nocodecs.go; see PATCHES.md.

import (
	"bytes"
	"encoding/hex"
	"errors"
	"io"
	"math/rand"
	"testing"

	"github.com/klauspost/compress/zstd"
)

func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.New(rand.NewSource(int64(n))).Read(b) //nolint:gosec
	return b
}

func TestStoredBrotliGolden(t *testing.T) {
	t.Parallel()

	// The expected streams were checked by decoding them with
	// github.com/molecule-man/go-brrr v1.3.1 (upstream's decoder).
	tests := []struct {
		src  string
		want string
	}{
		{src: "", want: "06"},
		{src: "heimnetz", want: "7000106865696d6e65747a03"},
	}
	for _, tc := range tests {
		got := AppendBrotliBytes([]byte("dst"), []byte(tc.src))
		if string(got[:3]) != "dst" {
			t.Fatalf("%q: prefix lost: %q", tc.src, got)
		}
		if h := hex.EncodeToString(got[3:]); h != tc.want {
			t.Fatalf("%q: got %s, want %s", tc.src, h, tc.want)
		}
	}
}

func TestStoredBrotliBlocks(t *testing.T) {
	t.Parallel()

	for _, n := range []int{1, storedBrotliBlockLen - 1, storedBrotliBlockLen, storedBrotliBlockLen + 1, 3*storedBrotliBlockLen + 7} {
		src := randomBytes(n)
		got := AppendBrotliBytesLevel(nil, src, CompressBrotliBestCompression)
		// Walk the meta-blocks: the first header is shifted by the WBITS bit.
		var payload []byte
		rest, shift := got, uint(1)
		for len(rest) > 1 {
			hdr := (uint32(rest[0]) | uint32(rest[1])<<8 | uint32(rest[2])<<16) >> shift
			if hdr&1 != 0 || hdr>>1&3 != 0 || hdr>>19&1 != 1 {
				t.Fatalf("n=%d: bad meta-block header %06x", n, hdr)
			}
			mlen := int(hdr>>3&0xffff) + 1
			payload = append(payload, rest[3:3+mlen]...)
			rest, shift = rest[3+mlen:], 0
		}
		if len(rest) != 1 || rest[0] != 3 {
			t.Fatalf("n=%d: bad stream end %x", n, rest)
		}
		if !bytes.Equal(payload, src) {
			t.Fatalf("n=%d: payload differs from the input", n)
		}
	}
}

func TestStoredZstdRoundTrip(t *testing.T) {
	t.Parallel()

	dec, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1))
	if err != nil {
		t.Fatal(err)
	}
	defer dec.Close()
	for _, n := range []int{0, 1, 1000, storedZstdBlockLen - 1, storedZstdBlockLen, storedZstdBlockLen + 1, 5*storedZstdBlockLen + 3} {
		src := randomBytes(n)
		enc := AppendZstdBytesLevel([]byte("dst"), src, CompressZstdBestSpeed)
		if string(enc[:3]) != "dst" {
			t.Fatalf("n=%d: prefix lost", n)
		}
		blocks := max(1, (n+storedZstdBlockLen-1)/storedZstdBlockLen)
		if want := 3 + 6 + 3*blocks + n; len(enc) != want {
			t.Fatalf("n=%d: encoded length %d, want %d", n, len(enc), want)
		}
		got, err := dec.DecodeAll(enc[3:], nil)
		if err != nil {
			t.Fatalf("n=%d: decode: %v", n, err)
		}
		if !bytes.Equal(got, src) {
			t.Fatalf("n=%d: round trip differs", n)
		}
	}
}

func TestWriteStoredMatchesAppend(t *testing.T) {
	t.Parallel()

	src := randomBytes(70000)
	tests := []struct {
		name  string
		write func(io.Writer, []byte) (int, error)
		app   func(dst, src []byte) []byte
	}{
		{name: "brotli", write: WriteBrotli, app: AppendBrotliBytes},
		{name: "zstd", write: func(w io.Writer, p []byte) (int, error) { return WriteZstdLevel(w, p, CompressZstdDefault) }, app: AppendZstdBytes},
	}
	for _, tc := range tests {
		var buf bytes.Buffer
		n, err := tc.write(&buf, src)
		if err != nil || n != len(src) {
			t.Fatalf("%s: n=%d err=%v, want n=%d", tc.name, n, err, len(src))
		}
		if want := tc.app(nil, src); !bytes.Equal(buf.Bytes(), want) {
			t.Fatalf("%s: written stream differs from appended one", tc.name)
		}
	}
}

func TestNoCodecDecoders(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name    string
		decode  func(dst, src []byte) ([]byte, error)
		write   func(io.Writer, []byte) (int, error)
		wantErr error
	}{
		{name: "brotli", decode: AppendUnbrotliBytes, write: WriteUnbrotli, wantErr: ErrNoBrotli},
		{name: "zstd", decode: AppendUnzstdBytes, write: WriteUnzstd, wantErr: ErrNoZstd},
	}
	for _, tc := range tests {
		dst, err := tc.decode([]byte("dst"), []byte("anything"))
		if !errors.Is(err, tc.wantErr) || string(dst) != "dst" {
			t.Fatalf("%s: Append: dst=%q err=%v", tc.name, dst, err)
		}
		var buf bytes.Buffer
		n, err := tc.write(&buf, []byte("anything"))
		if !errors.Is(err, tc.wantErr) || n != 0 || buf.Len() != 0 {
			t.Fatalf("%s: Write: n=%d len=%d err=%v", tc.name, n, buf.Len(), err)
		}
	}

	for _, tc := range []struct {
		encoding string
		wantErr  error
	}{{"br", ErrNoBrotli}, {"zstd", ErrNoZstd}} {
		var resp Response
		resp.Header.SetContentEncoding(tc.encoding)
		resp.SetBody([]byte("body"))
		if _, err := resp.BodyUncompressed(); !errors.Is(err, tc.wantErr) {
			t.Fatalf("%s: BodyUncompressed err=%v, want %v", tc.encoding, err, tc.wantErr)
		}
	}
}

func TestCompressHandlersNeverChooseBrotliOrZstd(t *testing.T) {
	t.Parallel()

	body := bytes.Repeat([]byte("compressible body "), 100)
	inner := func(ctx *RequestCtx) {
		ctx.SetContentType("text/plain")
		ctx.SetBody(body)
	}
	handlers := map[string]RequestHandler{
		"CompressHandlerLevel":       CompressHandlerLevel(inner, CompressBestSpeed),
		"CompressHandlerBrotliLevel": CompressHandlerBrotliLevel(inner, CompressBrotliBestSpeed, CompressBestSpeed),
	}
	tests := []struct {
		accept   string
		wantEnc  string
		wantVary bool
	}{
		{accept: "br", wantEnc: ""},
		{accept: "zstd", wantEnc: ""},
		{accept: "br, zstd", wantEnc: ""},
		{accept: "br, zstd, gzip", wantEnc: "gzip", wantVary: true},
		{accept: "zstd, deflate", wantEnc: "deflate", wantVary: true},
	}
	for name, h := range handlers {
		for _, tc := range tests {
			var ctx RequestCtx
			ctx.Request.Header.Set(HeaderAcceptEncoding, tc.accept)
			h(&ctx)
			if got := string(ctx.Response.Header.ContentEncoding()); got != tc.wantEnc {
				t.Fatalf("%s %q: Content-Encoding %q, want %q", name, tc.accept, got, tc.wantEnc)
			}
			if hasVary := len(ctx.Response.Header.Peek(HeaderVary)) > 0; hasVary != tc.wantVary {
				t.Fatalf("%s %q: Vary present=%v, want %v", name, tc.accept, hasVary, tc.wantVary)
			}
			got, err := ctx.Response.BodyUncompressed()
			if err != nil || !bytes.Equal(got, body) {
				t.Fatalf("%s %q: body differs after decoding (err=%v)", name, tc.accept, err)
			}
		}
	}
}
